// Role API (reference D.1–D.3): full-replace PUT/POST with created true/false, GET with 404 `{}`, hard DELETE.
import { EsRawError, illegalArgument, validationFailed } from "../errors";
import { EmuResponse, json } from "../http-types";
import { ACTIONS, requireAction } from "../principal";
import { EsContext } from "./context";
import { renderNamed } from "./named-records";
import { requireBody, requireObject } from "./parse";
import { parseRoleDescriptor, renderRoleDescriptor } from "./role-descriptor";
import { requireValidRoleQueries } from "./role-query-validation";

const ROLE_NAME_RULE =
  "Role names must be at least 1 and no more than 507 characters. They can contain alphanumeric characters (a-z, A-Z, 0-9), spaces, punctuation, and printable symbols in the Basic Latin (ASCII) block. Leading or trailing whitespace is not allowed.";

export function roleNameProblems(ctx: EsContext, name: string): string[] {
  if (name.length < 1 || name.length > 507 || !/^[\x20-\x7e]*$/.test(name) || name.trim() !== name)
    return [ROLE_NAME_RULE];
  if (ctx.state.isReservedRole(name)) return [`Role [${name}] is reserved and may not be used.`];
  return [];
}

export function putRole(ctx: EsContext): EmuResponse {
  const name = ctx.params.name as string;
  const body = requireObject(requireBody(ctx.body), "role");
  const { descriptor, problems } = parseRoleDescriptor(name, body);
  const all = [...roleNameProblems(ctx, name), ...problems];
  if (all.length > 0) throw validationFailed(all);
  requireAction(ctx.state, ctx.principal, ACTIONS.rolePut);
  requireValidRoleQueries(descriptor.indices);
  const created = !ctx.state.roles.has(name);
  ctx.state.roles.set(name, descriptor);
  return json(200, { role: { created } });
}

export function getRoles(ctx: EsContext): EmuResponse {
  requireAction(ctx.state, ctx.principal, ACTIONS.roleGet);
  return json(200, renderNamed(ctx.params.name, ctx.state.roles, renderRoleDescriptor));
}

export function deleteRole(ctx: EsContext): EmuResponse {
  const name = ctx.params.name as string;
  requireAction(ctx.state, ctx.principal, ACTIONS.roleDelete);
  if (ctx.state.isReservedRole(name)) throw illegalArgument(`role [${name}] is reserved and cannot be deleted`);
  if (!ctx.state.roles.delete(name)) throw new EsRawError(404, { found: false });
  return json(200, { found: true });
}
