import type { OutputDocs } from "../shared/outputs";

export const enrollmentApiKeyOutputs: OutputDocs = {
  keyId: { doc: "The Fleet enrollment key id (also the resource id)." },
  apiKeyId: { doc: "The id of the Elasticsearch API key underneath." },
  fleetName: { doc: 'The name Fleet stores and shows: `"<name> (<keyId>)"`.' },
  active: { doc: "Whether the key can enroll agents (a revoked key is dropped from state by a refresh)." },
  createdAt: { doc: "Creation time (ISO 8601)." },
  apiKey: { doc: "The enrollment token agents enroll with (`--enrollment-token`).", secret: true },
};
