// Fleet's own authorization model, which its routes used before Kibana 9.0 (`fleetAuthz` on each route, checked by
// the Fleet router after request validation; a refusal is a bare 403 Forbidden). Fleet asks Elasticsearch which of
// its API privileges the caller holds (getAuthzFromRequest in elastic/kibana
// x-pack/platform/plugins/shared/fleet/server/services/security/security.ts) and derives its authz from them
// (calculateAuthz in x-pack/platform/plugins/shared/fleet/common/authz.ts; before 9.0 under x-pack/plugins/fleet/).
// Without sub-features (the default before 8.18), writing needs Fleet `all` together with Integrations `all` or
// `read`; with them, each sub-feature stands alone. From 9.0 the routes declare Kibana API privileges instead
// (elastic/kibana#205335, labelled for 9.0), see kibana/routes.ts.
import { fleetSubFeaturesOn } from "../kibana/features";

/** Which Fleet and Integrations API privileges (`api:<name>`) the caller holds in the request's space. */
export type HeldApiPrivilege = (name: string) => boolean;

export interface FleetAuthz {
  readEnrollmentTokens: boolean;
  allAgents: boolean;
  readAgents: boolean;
  readAgentPolicies: boolean;
  allAgentPolicies: boolean;
}

export function calculateFleetAuthz(held: HeldApiPrivilege, kibanaVersion: string): FleetAuthz {
  const setup = held("fleet-setup");
  if (fleetSubFeaturesOn(kibanaVersion)) {
    const agentsAll = held("fleet-agents-all");
    return {
      readEnrollmentTokens: setup || agentsAll,
      allAgents: agentsAll,
      readAgents: agentsAll || held("fleet-agents-read"),
      readAgentPolicies: setup || held("fleet-agent-policies-read"),
      allAgentPolicies: held("fleet-agent-policies-all"),
    };
  }
  const fleetAll = held("fleet-all");
  const withIntegrations = fleetAll && (held("integrations-all") || held("integrations-read"));
  return {
    readEnrollmentTokens: fleetAll || setup || held("fleet-agents-all"),
    allAgents: withIntegrations,
    readAgents: withIntegrations,
    readAgentPolicies: fleetAll || held("fleet-read") || setup || held("fleet-agent-policies-read"),
    allAgentPolicies: withIntegrations,
  };
}
