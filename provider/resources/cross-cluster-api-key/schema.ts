import { z } from "zod";
import type { KeyOwner } from "../shared/api-keys";
import { apiKeyName, markableMetadata } from "../shared/fields";
import { apiKeyScheduleInputs, refineSchedule } from "../shared/rotation";
import { crossClusterAccess } from "./access";

export const crossClusterApiKeyInputs = z
  .object({
    name: apiKeyName.describe("The API key name. Not unique in Elasticsearch; renaming rotates the key."),
    access: crossClusterAccess.describe(
      "What the remote cluster may do: `search` entries (`names`, optional `query`, `fieldSecurity`, `allowRestrictedIndices`) and/or `replication` entries (`names`, `allowRestrictedIndices`). Compared as sets, with server defaults filled in.",
    ),
    // docs/elastic-api.md C.4: metadata replaces, no merge; `{}` is what the server reports for "none" (C.3).
    metadata: markableMetadata
      .default({})
      .describe("Arbitrary metadata stored on the key; keys must not start with `_`."),
    ...apiKeyScheduleInputs,
  })
  .strict()
  .superRefine(refineSchedule);

export type CrossClusterApiKeyInputs = z.infer<typeof crossClusterApiKeyInputs>;

export interface CrossClusterApiKeyOutputs {
  [key: string]: unknown;
  keyId: string;
  /** Absolute expiry (ISO 8601), when `expiration` was given. */
  expiresAt?: string;
  /** When the key is due for rotation (ISO 8601), when a schedule is set. */
  rotatesAt?: string;
  createdAt?: string;
  apiKey: string;
  encoded: string;
  owner: KeyOwner;
}
