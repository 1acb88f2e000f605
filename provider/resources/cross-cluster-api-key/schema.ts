import { z } from "zod";
import { apiKeyName, metadata, rotationTrigger } from "../shared/fields";
import { crossClusterAccess } from "./access";
import { durationProblem } from "./duration";

/** C.6: an Elasticsearch duration such as "30d", refused at preview when the server would refuse it. */
const expiration = z.string({ error: 'must be an Elasticsearch duration such as "30d"' }).superRefine((v, ctx) => {
  const problem = durationProblem(v);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const crossClusterApiKeyInputs = z
  .object({
    name: apiKeyName,
    access: crossClusterAccess,
    expiration: expiration.optional(),
    // C.4: metadata replaces, no merge; `{}` is what the server reports for "none" (C.3).
    metadata: metadata.default({}),
    rotationTrigger,
  })
  .strict();

export type CrossClusterApiKeyInputs = z.infer<typeof crossClusterApiKeyInputs>;

export interface CrossClusterApiKeyOutputs {
  [key: string]: unknown;
  keyId: string;
  /** Absolute expiry (ISO 8601), when `expiration` was given. */
  expiresAt?: string;
  apiKey: string;
  encoded: string;
}
