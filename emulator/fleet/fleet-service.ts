// Fleet's own state rules: it talks to ES as kibana_system (docs/elastic-api.md B), so enrollment keys are owned by
// kibana_system; policies and keys are visible per space (space awareness on, as in current 9.x).
import { BoomError, EsError, boom } from "../errors";
import { AgentPolicy, EnrollmentKey } from "../model";
import { Principal } from "../principal";
import { EmulatorState } from "../state";
import { invalidateApiKeys } from "../es/invalidate-api-keys";
import { createRestApiKey } from "../es/rest-api-keys";
import { versionAtLeast } from "../versions";
import { newUuid } from "../ids";

const UUID_SUFFIX = /^\([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\)$/;

export function kibanaSystem(state: EmulatorState): Principal {
  const user = state.users.get("kibana_system");
  if (!user) throw boom.internal("kibana_system user is missing");
  return { kind: "user", user };
}

export function policyVisible(policy: AgentPolicy, space: string): boolean {
  return policy.space_ids.includes(space) || policy.space_ids.includes("*");
}

export function keyVisible(key: EnrollmentKey, space: string): boolean {
  if (key.namespaces.length === 0) return space === "default";
  return key.namespaces.includes(space) || key.namespaces.includes("*");
}

/**
 * The from/size Fleet hands to an ES search for page/perPage. ES refuses negative values, and Fleet reports errors
 * that are neither its own nor Boom as 500 with the client's message.
 */
export function searchWindow(page: number, perPage: number): { from: number; size: number } {
  const from = (page - 1) * perPage;
  const refuse = (reason: string) =>
    boom.internal(new EsError(400, "illegal_argument_exception", reason).clientMessage());
  if (from < 0) throw refuse(`[from] parameter cannot be negative but was [${from}]`);
  if (perPage < 0) throw refuse(`[size] parameter cannot be negative, found [${perPage}]`);
  return { from: Math.max(0, from), size: perPage };
}

/** [ver] 8.15+ answers 404/409 where older 8.x answered 400 (B.2, H). */
export function fleetStatus(state: EmulatorState, modern: number): number {
  return versionAtLeast(state.options.kibanaVersion, 8, 15) ? modern : 400;
}

export function findVisiblePolicy(state: EmulatorState, policyId: string, space: string): AgentPolicy {
  const policy = state.agentPolicies.get(policyId);
  if (!policy || !policyVisible(policy, space)) {
    throw new BoomError(fleetStatus(state, 404), `Agent policy "${policyId}" not found`);
  }
  return policy;
}

/** B.2 steps 2–5. */
export function createEnrollmentKey(
  state: EmulatorState,
  policy: AgentPolicy,
  givenName: string | undefined,
): EnrollmentKey {
  if (givenName) {
    // Revoked keys still count: revoke only flips `active` (B.2 step 2). Fleet removes the given name from each key's
    // name and trims what is left; a bare "(<uuid>)" is a clash, so whitespace around the name does not matter.
    const clash = [...state.enrollmentKeys.values()].some(
      (k) => k.policy_id === policy.id && UUID_SUFFIX.test(k.name.replace(givenName, "").trim()),
    );
    if (clash) {
      throw new BoomError(
        fleetStatus(state, 409),
        `An enrollment key named ${givenName} already exists for agent policy ${policy.id}`,
      );
    }
  }
  const id = newUuid();
  const name = givenName !== undefined && givenName !== "" ? `${givenName} (${id})` : id;
  let created;
  try {
    created = createRestApiKey(state, kibanaSystem(state), {
      name,
      metadata: { managed_by: "fleet", managed: true, type: "enroll", policy_id: policy.id },
      role_descriptors: {
        "fleet-apikey-enroll": {
          cluster: [],
          index: [],
          applications: [{ application: "fleet", privileges: ["no-privileges"], resources: ["*"] }],
        },
      },
    });
  } catch (error) {
    if (error instanceof EsError) throw boom.badRequest(`Impossible to create an api key: ${error.clientMessage()}`);
    throw error;
  }
  const key: EnrollmentKey = {
    id,
    api_key_id: created.id as string,
    api_key: created.encoded as string,
    name,
    active: true,
    policy_id: policy.id,
    created_at: new Date(state.now()).toISOString(),
    hidden: policy.supports_agentless || policy.is_managed,
    namespaces: [...policy.space_ids],
  };
  state.enrollmentKeys.set(id, key);
  return key;
}

/** A deleted policy takes its enrollment keys with it: their ES keys are invalidated and the documents removed. */
export function deletePolicyEnrollmentKeys(state: EmulatorState, policyId: string): void {
  const keys = [...state.enrollmentKeys.values()].filter((k) => k.policy_id === policyId);
  const live = keys.filter((k) => k.active).map((k) => k.api_key_id);
  if (live.length > 0) invalidateApiKeys(state, kibanaSystem(state), { ids: live });
  for (const key of keys) state.enrollmentKeys.delete(key.id);
}
