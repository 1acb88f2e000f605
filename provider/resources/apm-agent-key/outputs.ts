import type { OutputDocs } from "../shared/outputs";

export const apmAgentKeyOutputs: OutputDocs = {
  keyId: { doc: "The Elasticsearch API key id (also the resource id)." },
  owner: {
    doc: "Who owns the key in Elasticsearch (`username`, `realm`): the credential that created it.",
  },
  createdAt: { doc: "Creation time (ISO 8601), known once the key has been read back by a refresh." },
  apiKey: { doc: "The key's secret part, returned only at creation.", secret: true },
  encoded: {
    doc: "base64 of `id:api_key`: the value APM agents send as `Authorization: ApiKey <encoded>`.",
    secret: true,
  },
};
