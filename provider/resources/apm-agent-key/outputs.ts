import { z } from "zod";
import type { OutputDocs } from "../../framework/outputs";
import { keyOwner, rotationOutputs } from "../shared/outputs";

export const apmAgentKeyOutputs: OutputDocs = {
  keyId: { doc: "The Elasticsearch API key id (also the resource id).", schema: z.string() },
  owner: {
    doc: "Who owns the key in Elasticsearch (`username`, `realm`): the credential that created it.",
    schema: keyOwner,
  },
  ...rotationOutputs,
  apiKey: { doc: "The key's secret part, returned only at creation.", schema: z.string(), secret: true },
  encoded: {
    doc: "base64 of `id:api_key`: the value APM agents send as `Authorization: ApiKey <encoded>`.",
    schema: z.string(),
    secret: true,
  },
};
