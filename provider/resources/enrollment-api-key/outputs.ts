import { z } from "zod";
import type { OutputDocs } from "../../framework/outputs";
import { rotationOutputs } from "../shared/outputs";

export const enrollmentApiKeyOutputs: OutputDocs = {
  keyId: { doc: "The Fleet enrollment key id (also the resource id).", schema: z.string() },
  apiKeyId: { doc: "The id of the Elasticsearch API key underneath.", schema: z.string() },
  fleetName: { doc: 'The name Fleet stores and shows: `"<name> (<keyId>)"`.', schema: z.string() },
  active: {
    doc: "Whether the key can enroll agents (a revoked key is dropped from state by a refresh).",
    schema: z.boolean(),
  },
  createdAt: { doc: "Creation time (ISO 8601).", schema: z.string() },
  rotatesAt: rotationOutputs.rotatesAt,
  apiKey: {
    doc: "The enrollment token agents enroll with (`--enrollment-token`).",
    schema: z.string(),
    secret: true,
  },
};
