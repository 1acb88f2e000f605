// Thin Kibana endpoint functions (APM agent keys, Fleet enrollment keys). Every route is space-aware.
import type { Target } from "./connection";
import { expectJson, send, unexpected } from "./http";

export function spacePrefix(spaceId: string | undefined): string {
  return spaceId && spaceId !== "default" ? `/s/${encodeURIComponent(spaceId)}` : "";
}

export interface AgentKeyCreated {
  id: string;
  name: string;
  api_key: string;
  encoded: string;
}

/** A.3: created as the calling user, who owns the key. Not idempotent: names are not unique. */
export async function createAgentKey(
  kibana: Target,
  spaceId: string | undefined,
  name: string,
  privileges: string[],
): Promise<AgentKeyCreated> {
  const res = await send(kibana, {
    method: "POST",
    path: `${spacePrefix(spaceId)}/api/apm/agent_keys`,
    body: { name, privileges },
    idempotent: false,
  });
  const fix =
    res.status === 403
      ? "give the Kibana user the ApmRole (manage_own_api_key, the apm application privileges it grants, and feature_apm.all on the space)"
      : undefined;
  return expectJson<{ agentKey: AgentKeyCreated }>(res, "creating the APM agent key failed", fix).agentKey;
}

export interface EnrollmentKeyWire {
  id: string;
  api_key_id: string;
  api_key: string;
  name?: string;
  active: boolean;
  policy_id?: string;
  created_at: string;
  hidden?: boolean;
}

const FLEET_KEYS = "/api/fleet/enrollment_api_keys";

export async function createEnrollmentKey(
  fleet: Target,
  spaceId: string | undefined,
  body: { policy_id: string; name?: string },
): Promise<EnrollmentKeyWire> {
  const res = await send(fleet, {
    method: "POST",
    path: `${spacePrefix(spaceId)}${FLEET_KEYS}`,
    body,
    idempotent: false,
  });
  // B.2 step 1: 404 since 8.15, 400 with the same message before.
  if (res.status === 404 || (res.status === 400 && /Agent policy .* not found/i.test(res.text)))
    throw unexpected(
      res,
      `agent policy "${body.policy_id}" does not exist`,
      "create the agent policy first, or correct policyId (and spaceId if the policy lives in another space)",
    );
  if (res.status === 409 || (res.status === 400 && /already exists/.test(res.text))) {
    throw unexpected(
      res,
      `an enrollment key named "${body.name}" already exists for agent policy "${body.policy_id}" (Fleet counts revoked keys too)`,
      "choose another name, use namePrefix, or leave name unset so a unique name is generated",
    );
  }
  return expectJson<{ item: EnrollmentKeyWire }>(res, "creating the enrollment key failed").item;
}

/** B.4: the key (with its secret), or undefined on 404. */
export async function getEnrollmentKey(
  fleet: Target,
  spaceId: string | undefined,
  id: string,
): Promise<EnrollmentKeyWire | undefined> {
  const res = await send(fleet, {
    method: "GET",
    path: `${spacePrefix(spaceId)}${FLEET_KEYS}/${encodeURIComponent(id)}`,
    idempotent: true,
  });
  if (res.status === 404) return undefined;
  return expectJson<{ item: EnrollmentKeyWire }>(res, `reading enrollment key ${id} failed`).item;
}

/** B.3: every page of the list for one policy (20 per page by default; never stop at the first page). */
export async function listEnrollmentKeys(
  fleet: Target,
  spaceId: string | undefined,
  policyId: string,
): Promise<EnrollmentKeyWire[]> {
  const all: EnrollmentKeyWire[] = [];
  const perPage = 100;
  for (let page = 1; ; page++) {
    const res = await send(fleet, {
      method: "GET",
      path: `${spacePrefix(spaceId)}${FLEET_KEYS}`,
      query: { page, perPage, kuery: `policy_id:"${policyId.replace(/"/g, '\\"')}"` },
      idempotent: true,
    });
    const body = expectJson<{ items: EnrollmentKeyWire[]; total: number }>(
      res,
      `listing enrollment keys of policy "${policyId}" failed`,
    );
    all.push(...body.items);
    if (body.items.length === 0 || all.length >= body.total) return all;
  }
}

/** B.5: revoke (soft). False when Fleet no longer knows the key (404). */
export async function revokeEnrollmentKey(fleet: Target, spaceId: string | undefined, id: string): Promise<boolean> {
  const res = await send(fleet, {
    method: "DELETE",
    path: `${spacePrefix(spaceId)}${FLEET_KEYS}/${encodeURIComponent(id)}`,
    idempotent: true,
  });
  if (res.status === 404) return false;
  expectJson(res, `revoking enrollment key ${id} failed`);
  return true;
}
