// Role API (docs/elastic-api.md D.1–D.3): full-replace PUT/POST with created true/false, GET with 404 `{}`, hard
// DELETE.
import { EsRawError, illegalArgument, validationFailed } from "../errors";
import { EmuResponse, json } from "../http-types";
import { ACTIONS, requireAction } from "../principal";
import { EsContext } from "./context";
import { renderNamed } from "./named-records";
import { requireBody, requireObject } from "./parse";
import { JsonObject } from "../json";
import { RoleDescriptor } from "../model";
import { ParsedRole, parseRoleDescriptor, renderRoleDescriptor } from "./role-descriptor";
import { requireValidRoleQueries } from "./role-query-validation";

const ROLE_NAME_RULE =
  "Role names must be at least 1 and no more than 507 characters. They can contain alphanumeric characters (a-z, A-Z, 0-9), spaces, punctuation, and printable symbols in the Basic Latin (ASCII) block. Leading or trailing whitespace is not allowed.";

export function roleNameProblems(ctx: EsContext, name: string): string[] {
  if (name.length < 1 || name.length > 507 || !/^[\x20-\x7e]*$/.test(name) || name.trim() !== name)
    return [ROLE_NAME_RULE];
  if (ctx.state.isReservedRole(name)) return [`Role [${name}] is reserved and may not be used.`];
  return [];
}

/** Parses a role body; the validation problems (name, privileges, metadata) are returned, not thrown. */
export function parseRole(ctx: EsContext, name: string, body: JsonObject): ParsedRole {
  const { descriptor, problems } = parseRoleDescriptor(name, body, ctx.state.options.esVersion);
  return { descriptor, problems: [...roleNameProblems(ctx, name), ...problems] };
}

/** Stores a valid role; answers whether it is new. */
export function storeRole(ctx: EsContext, name: string, descriptor: RoleDescriptor): boolean {
  requireValidRoleQueries(descriptor.indices);
  const created = !ctx.state.roles.has(name);
  ctx.state.roles.set(name, descriptor);
  return created;
}

export function putRole(ctx: EsContext): EmuResponse {
  const name = ctx.params.name as string;
  const { descriptor, problems } = parseRole(ctx, name, requireObject(requireBody(ctx.body), "role"));
  if (problems.length > 0) throw validationFailed(problems);
  requireAction(ctx.state, ctx.principal, ACTIONS.rolePut);
  return json(200, { role: { created: storeRole(ctx, name, descriptor) } });
}

export function getRoles(ctx: EsContext): EmuResponse {
  requireAction(ctx.state, ctx.principal, ACTIONS.roleGet);
  return json(200, renderNamed(ctx.params.name, ctx.state.roles, renderRoleDescriptor));
}

/** Deletes a role; false when it did not exist. Reserved roles are refused. */
export function removeRole(ctx: EsContext, name: string): boolean {
  if (ctx.state.isReservedRole(name)) throw illegalArgument(`role [${name}] is reserved and cannot be deleted`);
  return ctx.state.roles.delete(name);
}

export function deleteRole(ctx: EsContext): EmuResponse {
  requireAction(ctx.state, ctx.principal, ACTIONS.roleDelete);
  if (!removeRole(ctx, ctx.params.name as string)) throw new EsRawError(404, { found: false });
  return json(200, { found: true });
}
