// Route authorization (docs/elastic-api.md 0.3 gate 5). Kibana's own check of a route's API privileges answers 403
// naming the privileges the caller lacks, in the order the route declares them (all, then any): elastic/kibana
// x-pack/platform/plugins/shared/security/server/authorization/api_authorization.ts. Fleet's pre-9.0 check
// (fleet/fleet-authz.ts) answers a bare 403 Forbidden from its router, services/security/fleet_router.ts.
import { KIBANA_APPLICATION } from "../app-privileges";
import { boom } from "../errors";
import { EmuRequest } from "../http-types";
import { calculateFleetAuthz } from "../fleet/fleet-authz";
import { Principal, hasApplicationPrivilege } from "../principal";
import { EmulatorState } from "../state";
import { RouteAuthz } from "./context";

/** Whether the principal holds Kibana API privilege `api:<name>` in the request's space. */
export function hasKibanaApiPrivilege(
  state: EmulatorState,
  principal: Principal,
  space: string,
  name: string,
): boolean {
  return hasApplicationPrivilege(state, principal, KIBANA_APPLICATION, `api:${name}`, `space:${space}`);
}

/** Kibana's gate: every `all` privilege and, when given, one of `any`. */
export function checkApiPrivileges(
  state: EmulatorState,
  req: EmuRequest,
  authz: RouteAuthz,
  principal: Principal,
): void {
  if (authz.kind !== "api") return;
  const { all = [], any = [] } = authz;
  const held = new Map([...all, ...any].map((p) => [p, hasKibanaApiPrivilege(state, principal, req.space, p)]));
  const okAll = all.every((p) => held.get(p));
  const okAny = any.length === 0 || any.some((p) => held.get(p));
  if (okAll && okAny) return;
  const missing = [...held].filter(([, has]) => !has).map(([p]) => p);
  const pathAndQuery = req.rawQuery ? `${req.path}?${req.rawQuery}` : req.path;
  throw boom.forbidden(
    `API [${req.method} ${pathAndQuery}] is unauthorized for user, this action is granted by the Kibana privileges [${missing.join(",")}]`,
  );
}

/** Fleet's own check, run once the handler has validated the request. */
export function checkFleetAuthz(state: EmulatorState, req: EmuRequest, authz: RouteAuthz, principal: Principal): void {
  if (authz.kind !== "fleet") return;
  const held = (name: string) => hasKibanaApiPrivilege(state, principal, req.space, name);
  if (!authz.granted(calculateFleetAuthz(held, state.options.kibanaVersion))) throw boom.forbidden("Forbidden");
}
