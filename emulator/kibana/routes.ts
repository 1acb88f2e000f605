// The Kibana route table (emulator/README.md, What it serves). Every route is also reachable under /s/{space_id}.
import { Router } from "../router";
import { deleteEnrollmentKey, getEnrollmentKey, listEnrollmentKeys, postEnrollmentKey } from "../fleet/enrollment-keys";
import {
  deleteAgentPolicy,
  getAgentPolicy,
  listAgentPolicies,
  postAgentPolicy,
  putAgentPolicy,
} from "../fleet/agent-policies";
import { agentKeyPrivileges, createAgentKey, invalidateAgentKey, listAgentKeys } from "./apm-agent-keys";
import { KibanaRoute } from "./context";
import { createSpace, getSpace, listSpaces } from "./spaces";
import { getStatus } from "./status";

const publicRoute = (privileges: KibanaRoute["privileges"], handler: KibanaRoute["handler"]): KibanaRoute => ({
  access: "public",
  versioned: true,
  privileges,
  handler,
});

const internalRoute = (privileges: KibanaRoute["privileges"], handler: KibanaRoute["handler"]): KibanaRoute => ({
  access: "internal",
  versioned: false,
  privileges,
  handler,
});

export function registerKibanaRoutes(router: Router<KibanaRoute>): void {
  const fleetRead = { any: ["fleet-agents-all", "fleet-setup"] };
  const fleetWrite = { all: ["fleet-agents-all"] };
  const policiesWrite = { all: ["fleet-agent-policies-all"] };
  router
    .add("POST", "/api/apm/agent_keys", publicRoute({ all: ["apm", "apm_settings_write"] }, createAgentKey))
    .add("GET", "/api/status", { access: "public", versioned: false, privileges: {}, handler: getStatus })
    .add("GET", "/internal/apm/agent_keys", internalRoute({ all: ["apm"] }, listAgentKeys))
    .add("GET", "/internal/apm/agent_keys/privileges", internalRoute({ all: ["apm"] }, agentKeyPrivileges))
    .add(
      "POST",
      "/internal/apm/api_key/invalidate",
      internalRoute({ all: ["apm", "apm_settings_write"] }, invalidateAgentKey),
    )
    .add("GET", "/api/spaces/space", publicRoute({}, listSpaces))
    .add("POST", "/api/spaces/space", publicRoute({}, createSpace))
    .add("GET", "/api/spaces/space/{id}", publicRoute({}, getSpace))
    .add("POST", "/api/fleet/agent_policies", publicRoute(policiesWrite, postAgentPolicy))
    .add("PUT", "/api/fleet/agent_policies/{agentPolicyId}", publicRoute(policiesWrite, putAgentPolicy))
    .add("POST", "/api/fleet/agent_policies/delete", publicRoute(policiesWrite, deleteAgentPolicy))
    .add(
      "GET",
      "/api/fleet/agent_policies",
      publicRoute({ any: ["fleet-agent-policies-read", "fleet-agent-policies-all", "fleet-setup"] }, listAgentPolicies),
    )
    .add(
      "GET",
      "/api/fleet/agent_policies/{agentPolicyId}",
      publicRoute({ any: ["fleet-agent-policies-read", "fleet-agent-policies-all", "fleet-setup"] }, getAgentPolicy),
    )
    .add("POST", "/api/fleet/enrollment_api_keys", publicRoute(fleetWrite, postEnrollmentKey))
    .add("GET", "/api/fleet/enrollment_api_keys", publicRoute(fleetRead, listEnrollmentKeys))
    .add("GET", "/api/fleet/enrollment_api_keys/{keyId}", publicRoute(fleetRead, getEnrollmentKey))
    .add("DELETE", "/api/fleet/enrollment_api_keys/{keyId}", publicRoute(fleetWrite, deleteEnrollmentKey));
}
