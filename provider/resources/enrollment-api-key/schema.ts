import { z } from "zod";
import { keyNameRules, rotationTrigger, spaceId } from "../shared/fields";
import { rotateAfter } from "../shared/rotation";

/**
 * docs/elastic-api.md B.1/B.2: Fleet stores `"<name> (<uuid v4>)"` as the ES key name, which ES caps at 256 characters
 * (256 − 39).
 */
export const MAX_NAME_LENGTH = 217;
/** A generated name is `<namePrefix>-<8 hex digits>`. */
export const SUFFIX_LENGTH = 9;
export const MAX_PREFIX_LENGTH = MAX_NAME_LENGTH - SUFFIX_LENGTH;

/** The ES API key name rules (C.1), with the room Fleet's ` (<uuid>)` suffix leaves. */
export function enrollmentKeyNameRules(max: number, what: string) {
  return keyNameRules(
    max,
    `is longer than the ${max} characters (UTF-16 code units) Fleet leaves room for (it appends " (<uuid>)"): shorten it`,
    `${what} or leave it unset`,
  );
}

export const enrollmentApiKeyInputs = z
  .object({
    policyId: z
      .string({ error: "is required: the id of the agent policy the key enrolls agents into" })
      .min(1, "must not be empty: give the id of the agent policy the key enrolls agents into")
      .describe("The agent policy the key enrolls agents into."),
    name: enrollmentKeyNameRules(MAX_NAME_LENGTH, "name")
      .optional()
      .describe(
        "A fixed key name (Fleet stores `<name> (<id>)`). Fleet refuses a name already used on the policy, revoked keys included, so a key with a fixed name cannot be replaced under the same name: prefer auto-naming.",
      ),
    namePrefix: enrollmentKeyNameRules(MAX_PREFIX_LENGTH, "name prefix")
      .optional()
      .describe(
        "Without `name`, the key is named `<namePrefix>-<random>`; defaults to the logical name. Every replacement gets a new suffix.",
      ),
    spaceId: spaceId.optional().describe("Kibana space whose Fleet API manages the key (the policy's space)."),
    rotationTrigger: rotationTrigger.describe(
      "Any change rotates the key: the new key is created before the old one is revoked.",
    ),
    // No retireAfter: Fleet revokes at once and cannot delay it (README, Rotation); agents already enrolled keep
    // working, as they hold API keys of their own.
    rotateAfter,
  })
  .strict();

export type EnrollmentApiKeyInputs = z.infer<typeof enrollmentApiKeyInputs>;

export interface EnrollmentApiKeyOutputs {
  [key: string]: unknown;
  keyId: string;
  apiKeyId: string;
  /** What Fleet shows: `"<name> (<keyId>)"`. */
  fleetName: string;
  active: boolean;
  createdAt: string;
  rotatesAt?: string;
  apiKey: string;
}
