import type { OutputDocs } from "../shared/outputs";

export const crossClusterApiKeyOutputs: OutputDocs = {
  keyId: { doc: "The Elasticsearch API key id (also the resource id)." },
  owner: {
    doc: "Who owns the key in Elasticsearch (`username`, `realm`): the credential that created it.",
  },
  expiresAt: { doc: "Absolute expiry (ISO 8601), when `expiration` is set." },
  apiKey: { doc: "The key's secret part, returned only at creation.", secret: true },
  encoded: {
    doc: "base64 of `id:api_key`: the credential the remote cluster stores (`cluster.remote.<alias>.credentials`).",
    secret: true,
  },
};
