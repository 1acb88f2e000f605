import { z } from "zod";
import type { OutputDocs } from "../../framework/outputs";
import { keyOwner, rotationOutputs } from "../shared/outputs";

export const crossClusterApiKeyOutputs: OutputDocs = {
  keyId: { doc: "The Elasticsearch API key id (also the resource id).", schema: z.string() },
  owner: {
    doc: "Who owns the key in Elasticsearch (`username`, `realm`): the credential that created it.",
    schema: keyOwner,
  },
  expiresAt: { doc: "Absolute expiry (ISO 8601), when `expiration` is set.", schema: z.string().optional() },
  createdAt: rotationOutputs.createdAt,
  rotatesAt: rotationOutputs.rotatesAt,
  apiKey: { doc: "The key's secret part, returned only at creation.", schema: z.string(), secret: true },
  encoded: {
    doc: "base64 of `id:api_key`: the credential the remote cluster stores (`cluster.remote.<alias>.credentials`).",
    schema: z.string(),
    secret: true,
  },
};
