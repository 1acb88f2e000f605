// Field rules shared by several resources, each mirroring the server's own validation (docs/elastic-api.md, whose
// section codes the comments below cite) so a bad value fails at preview with the rule and the fix instead of at `up`
// with a server error.
import { z } from "zod";
import { CREATE_MARK_METADATA } from "../../framework/create-and-reconcile";
import { durationProblem } from "./duration";

/**
 * docs/elastic-api.md C.6: a key's lifetime, an Elasticsearch duration such as "30d", refused at preview when the
 * server would refuse it, when the key would be useless (expired at birth), or when its expiry would be out of any
 * date's range.
 */
export const keyExpiration = z
  .string({ error: 'must be an Elasticsearch duration such as "30d"' })
  .superRefine((v, ctx) => {
    const problem = durationProblem(v);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/**
 * Elasticsearch's API key name rules (C.1): 1–`max` UTF-16 code units (as Java counts them; zod's own `max` counts
 * code points, so 200 emoji would pass it), no surrounding whitespace, no leading `_`.
 */
export function keyNameRules(max: number, tooLong: string, what = "name") {
  return z
    .string({ error: "must be a string" })
    .min(1, `must not be empty: give the ${what}`)
    .refine((s) => s.length <= max, tooLong)
    .refine((s) => s.trim() === s, "must not begin or end with whitespace: trim it")
    .refine(
      (s) => !s.startsWith("_"),
      "must not begin with an underscore (Elasticsearch reserves those names): rename it",
    );
}

/** C.1: API key names (ES): 1–256 UTF-16 code units, no surrounding whitespace, no leading underscore. */
export const apiKeyName = keyNameRules(
  256,
  "is longer than the 256 characters (UTF-16 code units) Elasticsearch allows for API key names: shorten it",
  "key a name",
);

/** Kibana space ids: lowercase letters, digits, `_` and `-`. */
export const spaceId = z
  .string()
  .regex(
    /^[a-z0-9_-]+$/,
    'must be a Kibana space id (lowercase letters, digits, "_" and "-"), e.g. "default" or "observability"',
  );

/** C.1 / D.1: top-level metadata keys starting with `_` are reserved by Elasticsearch. */
export const metadata = z
  .record(z.string(), z.unknown())
  .refine(
    (m) => Object.keys(m).every((k) => !k.startsWith("_")),
    'keys must not start with "_" (Elasticsearch reserves them): rename those keys',
  );

/** Metadata of an object this provider marks (keys, roles): as `metadata`, without the key it marks creates with. */
export const markableMetadata = metadata.refine(
  (m) => !(CREATE_MARK_METADATA in m),
  `must not hold "${CREATE_MARK_METADATA}": the provider keeps that key to prove which objects it created`,
);

/** The `apm` application privileges an agent key may carry and the ApmRole may grant (A.2). */
export const APM_PRIVILEGES = ["config_agent:read", "event:write"] as const;
const APM_LIST = APM_PRIVILEGES.join(", ");

/** A non-empty list of `apm` application privileges (callers add a default, then `sortedSet`). */
export function apmPrivileges(requiredMessage: string) {
  return z
    .array(z.enum(APM_PRIVILEGES, { error: `must each be one of ${APM_LIST}` }), { error: requiredMessage })
    .min(1, `must list at least one of ${APM_LIST}`);
}

/** Free text that only exists to force a replacement when it changes (rotation). */
export const rotationTrigger = z.string().optional();

/** Sorted and de-duplicated, so order and repeats in a program never show as a diff. */
export function sortedSet<T extends string>(values: readonly T[]): T[] {
  return [...new Set(values)].sort();
}
