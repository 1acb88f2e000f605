// The Kibana route table (emulator/README.md, What it serves) with what each route requires at each Kibana version.
// Every route is also reachable under /s/{space_id}. Sources, in elastic/kibana (paths before 9.0 in brackets):
// - APM: x-pack/solutions/observability/plugins/apm/server/routes/agent_keys/route.ts
//   [x-pack/plugins/observability_solution/apm/server/routes/agent_keys/route.ts];
// - Fleet: x-pack/platform/plugins/shared/fleet/server/routes/enrollment_api_key/index.ts and
//   routes/agent_policy/index.ts [x-pack/plugins/fleet/server/routes/…]. Before 9.0 these routes name Fleet authz
//   (fleet/fleet-authz.ts); from 9.0 Kibana API privileges (elastic/kibana#205335).
import { Router } from "../router";
import { deleteEnrollmentKey, getEnrollmentKey, listEnrollmentKeys, postEnrollmentKey } from "../fleet/enrollment-keys";
import {
  deleteAgentPolicy,
  getAgentPolicy,
  listAgentPolicies,
  postAgentPolicy,
  putAgentPolicy,
} from "../fleet/agent-policies";
import { FleetAuthz } from "../fleet/fleet-authz";
import { versionAtLeast } from "../versions";
import { agentKeyPrivileges, createAgentKey, invalidateAgentKey, listAgentKeys } from "./apm-agent-keys";
import { KibanaRoute, RouteAuthz } from "./context";
import { apmSettingsSubFeature } from "./features";
import { createSpace, getSpace, listSpaces } from "./spaces";
import { getStatus } from "./status";

type Authz = KibanaRoute["authz"];

const route = (
  access: KibanaRoute["access"],
  versioned: boolean,
  authz: Authz,
  handler: KibanaRoute["handler"],
): KibanaRoute => ({ access, versioned, authz, handler });

const open: Authz = () => ({ kind: "open" });
const api =
  (all: string[], any: string[] = []): Authz =>
  () => ({ kind: "api", all, any });

/** APM's agent-key writes: `apm_write` until the Settings sub-feature, `apm_settings_write` after (features.ts). */
const apmWrite: Authz = (v) => ({
  kind: "api",
  all: ["apm", apmSettingsSubFeature(v) ? "apm_settings_write" : "apm_write"],
});

/** A Fleet route: Fleet's own authz before 9.0, Kibana API privileges from 9.0. */
const fleet =
  (before9: (a: FleetAuthz) => boolean, from9: RouteAuthz): Authz =>
  (v) =>
    versionAtLeast(v, 9, 0) ? from9 : { kind: "fleet", granted: before9 };

const keysRead = fleet((a) => a.readEnrollmentTokens, { kind: "api", any: ["fleet-agents-all", "fleet-setup"] });
const keysWrite = fleet((a) => a.allAgents, { kind: "api", all: ["fleet-agents-all"] });
const policiesRead = fleet((a) => a.readAgentPolicies || a.readAgents, {
  kind: "api",
  any: ["fleet-agent-policies-read", "fleet-agents-read", "fleet-setup"],
});
const policiesWrite = fleet((a) => a.allAgentPolicies, { kind: "api", all: ["fleet-agent-policies-all"] });

export function registerKibanaRoutes(router: Router<KibanaRoute>): void {
  router
    .add("POST", "/api/apm/agent_keys", route("public", true, apmWrite, createAgentKey))
    .add("GET", "/api/status", route("public", false, open, getStatus))
    .add("GET", "/internal/apm/agent_keys", route("internal", false, api(["apm"]), listAgentKeys))
    .add("GET", "/internal/apm/agent_keys/privileges", route("internal", false, api(["apm"]), agentKeyPrivileges))
    .add("POST", "/internal/apm/api_key/invalidate", route("internal", false, apmWrite, invalidateAgentKey))
    .add("GET", "/api/spaces/space", route("public", true, open, listSpaces))
    .add("POST", "/api/spaces/space", route("public", true, open, createSpace))
    .add("GET", "/api/spaces/space/{id}", route("public", true, open, getSpace))
    .add("POST", "/api/fleet/agent_policies", route("public", true, policiesWrite, postAgentPolicy))
    .add("PUT", "/api/fleet/agent_policies/{agentPolicyId}", route("public", true, policiesWrite, putAgentPolicy))
    .add("POST", "/api/fleet/agent_policies/delete", route("public", true, policiesWrite, deleteAgentPolicy))
    .add("GET", "/api/fleet/agent_policies", route("public", true, policiesRead, listAgentPolicies))
    .add("GET", "/api/fleet/agent_policies/{agentPolicyId}", route("public", true, policiesRead, getAgentPolicy))
    .add("POST", "/api/fleet/enrollment_api_keys", route("public", true, keysWrite, postEnrollmentKey))
    .add("GET", "/api/fleet/enrollment_api_keys", route("public", true, keysRead, listEnrollmentKeys))
    .add("GET", "/api/fleet/enrollment_api_keys/{keyId}", route("public", true, keysRead, getEnrollmentKey))
    .add("DELETE", "/api/fleet/enrollment_api_keys/{keyId}", route("public", true, keysWrite, deleteEnrollmentKey));
}
