import { z } from "zod";
import { apiKeyName, rotationTrigger, sortedSet, spaceId } from "../shared/fields";

export const AGENT_KEY_PRIVILEGES = ["config_agent:read", "event:write"] as const;

export const apmAgentKeyInputs = z
  .object({
    name: apiKeyName,
    privileges: z
      .array(z.enum(AGENT_KEY_PRIVILEGES, { error: `must each be one of ${AGENT_KEY_PRIVILEGES.join(", ")}` }), {
        error: `is required: list at least one of ${AGENT_KEY_PRIVILEGES.join(", ")}`,
      })
      .min(1, `must list at least one of ${AGENT_KEY_PRIVILEGES.join(", ")}`)
      .transform(sortedSet),
    spaceId: spaceId.optional(),
    rotationTrigger,
  })
  .strict();

export type ApmAgentKeyInputs = z.infer<typeof apmAgentKeyInputs>;

export interface ApmAgentKeyOutputs {
  [key: string]: unknown;
  keyId: string;
  apiKey: string;
  encoded: string;
  createdAt?: string;
}
