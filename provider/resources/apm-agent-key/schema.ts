import { z } from "zod";
import type { KeyOwner } from "../shared/api-keys";
import { apiKeyName, apmPrivileges, APM_PRIVILEGES, sortedSet } from "../shared/fields";
import { apiKeyScheduleInputs, refineSchedule } from "../shared/rotation";

export const apmAgentKeyInputs = z
  .object({
    name: apiKeyName.describe("The API key name. Not unique in Elasticsearch; renaming rotates the key."),
    privileges: apmPrivileges(`is required: list at least one of ${APM_PRIVILEGES.join(", ")}`)
      .transform(sortedSet)
      .describe(
        "What the key may do: `event:write` (ingest) and/or `config_agent:read` (central agent configuration).",
      ),
    ...apiKeyScheduleInputs,
  })
  .strict()
  .superRefine(refineSchedule);

export type ApmAgentKeyInputs = z.infer<typeof apmAgentKeyInputs>;

export interface ApmAgentKeyOutputs {
  [key: string]: unknown;
  keyId: string;
  apiKey: string;
  encoded: string;
  owner: KeyOwner;
  createdAt?: string;
  expiresAt?: string;
  rotatesAt?: string;
}
