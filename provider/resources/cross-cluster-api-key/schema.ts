import { z } from "zod";
import type { KeyOwner } from "../shared/api-keys";
import { apiKeyName, markableMetadata, rotationTrigger } from "../shared/fields";
import { crossClusterAccess } from "./access";
import { durationProblem } from "./duration";

/**
 * docs/elastic-api.md C.6: an Elasticsearch duration such as "30d", refused at preview when the server would refuse it,
 * when the key would be useless (expired at birth), or when its expiry would be out of any date's range.
 */
const expiration = z.string({ error: 'must be an Elasticsearch duration such as "30d"' }).superRefine((v, ctx) => {
  const problem = durationProblem(v);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const crossClusterApiKeyInputs = z
  .object({
    name: apiKeyName.describe("The API key name. Not unique in Elasticsearch; renaming rotates the key."),
    access: crossClusterAccess.describe(
      "What the remote cluster may do: `search` entries (`names`, optional `query`, `fieldSecurity`, `allowRestrictedIndices`) and/or `replication` entries (`names`, `allowRestrictedIndices`). Compared as sets, with server defaults filled in.",
    ),
    expiration: expiration
      .optional()
      .describe('Lifetime as an Elasticsearch duration (`"30d"`, `"12h"`); unset means the key never expires.'),
    // C.4: metadata replaces, no merge; `{}` is what the server reports for "none" (C.3).
    metadata: markableMetadata
      .default({})
      .describe("Arbitrary metadata stored on the key; keys must not start with `_`."),
    rotationTrigger: rotationTrigger.describe(
      "Any change rotates the key: the new key is created before the old one is invalidated.",
    ),
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
  owner: KeyOwner;
}
