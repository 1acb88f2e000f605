// Pulumi's auto-naming convention for enrollment keys (SPEC R3, R4). Fleet refuses a name already used on the policy,
// revoked keys included (docs/elastic-api.md B.2 step 2, B.5), so a replacement needs a name no key ever had.
import { randomBytes } from "node:crypto";
import { enrollmentKeyNameRules, MAX_PREFIX_LENGTH, type EnrollmentApiKeyInputs } from "./schema";

const prefixRules = enrollmentKeyNameRules(MAX_PREFIX_LENGTH, "name prefix");

function generatedName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}

/**
 * Fills in `name` when the program gave none: `<namePrefix or logical name>-<random>`, generated once and then kept
 * from the old inputs. `olds` is undefined on a create and when the engine re-checks a resource it replaces, so a
 * replacement gets a new suffix. A generated name is recognisable by its stored `namePrefix`.
 */
export function autoName(
  news: EnrollmentApiKeyInputs,
  olds: EnrollmentApiKeyInputs | undefined,
  logicalName: string,
): EnrollmentApiKeyInputs {
  if (news.name !== undefined) {
    if (news.namePrefix !== undefined)
      throw new Error(
        "name and namePrefix cannot both be set: give name for a fixed name, or namePrefix for a generated one",
      );
    return news;
  }
  const prefix = news.namePrefix ?? logicalName;
  const valid = prefixRules.safeParse(prefix);
  if (!valid.success) {
    const source = news.namePrefix !== undefined ? "namePrefix" : `the logical name "${logicalName}"`;
    throw new Error(
      `${source} cannot start a generated key name: it ${valid.error.issues[0].message}; set namePrefix (or name)`,
    );
  }
  const kept = olds?.namePrefix === prefix && olds.name?.startsWith(`${prefix}-`) ? olds.name : undefined;
  return { ...news, namePrefix: prefix, name: kept ?? generatedName(prefix) };
}

/** R4: a replacement that would create a second key with the same explicit name on the same policy always fails. */
export function refuseNameReuse(
  olds: EnrollmentApiKeyInputs,
  news: EnrollmentApiKeyInputs,
  replaced: string[],
): string | undefined {
  const explicit = news.namePrefix === undefined;
  if (!explicit || news.name !== olds.name || news.policyId !== olds.policyId) return undefined;
  return (
    `changing ${replaced.join(", ")} replaces this enrollment key, and the new key would be named "${news.name}" ` +
    `on agent policy "${news.policyId}" again. Fleet keeps revoked keys and refuses a name already used on the ` +
    `policy, so that replacement would fail with 409 Conflict. Remove \`name\` to let the provider generate a ` +
    `unique name on every replacement (or set \`namePrefix\`), or change \`name\` in the same update.`
  );
}

/** R10: why an explicit name cannot be created on this policy, in words, with what to do instead. */
export function spentNameMessage(name: string, policyId: string, taken: { id: string; active: boolean }): string {
  const holder = taken.active
    ? `an active enrollment key (id ${taken.id}) already has it`
    : `a revoked enrollment key (id ${taken.id}) had it, and Fleet keeps revoked keys and never frees their names`;
  return (
    `the enrollment key name "${name}" is spent on agent policy "${policyId}": ${holder}. ` +
    `Choose a name this policy never had, or remove \`name\` (or set \`namePrefix\`) to let the provider generate a ` +
    `unique one on every create.`
  );
}
