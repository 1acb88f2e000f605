// Workflow restrictions on API key role descriptors (docs/elastic-api.md D.1; ES 8.9+). Roles never accept them, and a
// key whose descriptor is restricted may only be used by the named workflows, none of which the emulator serves.
import { parseError } from "../errors";
import { Json, isObject, tokenName } from "../json";
import { RoleDescriptor, RoleRestriction } from "../model";

/** The workflows ES knows (WorkflowResolver); unknown names are a validation problem. */
const WORKFLOWS = ["search_application_query"];

/** `restriction` of descriptor `role`; undefined for an empty object, which ES treats as no restriction. */
export function parseRestriction(role: string, value: Json): RoleRestriction | undefined {
  const fail = (detail: string) => parseError(`failed to parse restriction for role [${role}]. ${detail}`);
  if (!isObject(value)) throw fail(`expected an object but found [${tokenName(value)}] instead`);
  for (const key of Object.keys(value)) if (key !== "workflows") throw fail(`unexpected field [${key}]`);
  if (!("workflows" in value)) return undefined;
  const raw = value.workflows;
  if (raw === null)
    throw fail("could not parse [workflows] field. expected a string array but found null value instead");
  const workflows = typeof raw === "string" ? [raw] : raw;
  if (!Array.isArray(workflows) || workflows.some((w) => typeof w !== "string")) {
    throw fail(`could not parse [workflows] field. expected a string array but found [${tokenName(raw)}] instead`);
  }
  if (workflows.length === 0) throw fail("[workflows] cannot be an empty array");
  return { workflows: workflows as string[] };
}

export function restrictionProblems(restriction: RoleRestriction | undefined): string[] {
  return (restriction?.workflows ?? [])
    .filter((w) => !WORKFLOWS.includes(w))
    .map(
      (w) =>
        `Unknown workflow [${w}]. A workflow must be one of the predefined workflow names [${WORKFLOWS.join(",")}].`,
    );
}

/** A key may carry one restricted descriptor and nothing else (ApiKeyService); the text of the failure, if any. */
export function restrictionConstraintFailure(descriptors: RoleDescriptor[]): string | undefined {
  const restricted = descriptors.filter((d) => d.restriction !== undefined).length;
  if (restricted === 0) return undefined;
  if (restricted > 1) return "more than one role descriptor with restriction is not supported";
  if (restricted !== descriptors.length)
    return "combining role descriptors with and without restriction is not supported";
  return undefined;
}
