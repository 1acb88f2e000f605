// Thin Kibana endpoint functions (Fleet enrollment keys, spaces). Every route is space-aware.
// Section codes in comments refer to docs/elastic-api.md.
import { z } from "zod";
import { elasticMessage, expectBody, expectCreated, fromKibana, unexpected } from "./answers";
import type { Target } from "./target";
import type { Lookup } from "./elasticsearch";
import { pathSegment } from "./path-segment";
import { send } from "./retry";
import type { HttpResponse } from "./transport";
import { ElasticKeysError } from "./errors";

export function spacePrefix(spaceId: string | undefined): string {
  return spaceId && spaceId !== "default" ? `/s/${pathSegment(spaceId, "Kibana space id")}` : "";
}

const enrollmentKeyWire = z.object({
  id: z.string(),
  api_key_id: z.string(),
  api_key: z.string().optional(),
  name: z.string().optional(),
  active: z.boolean(),
  policy_id: z.string().optional(),
  created_at: z.string(),
  hidden: z.boolean().optional(),
});
export type EnrollmentKeyWire = z.infer<typeof enrollmentKeyWire>;

const FLEET_KEYS = "/api/fleet/enrollment_api_keys";

/**
 * What a Fleet 403 asks for (README, EnrollmentApiKey "Needs"): before 9.0 Fleet answers a bare "Forbidden" that
 * names no privilege (emulator/fleet/fleet-authz.ts).
 */
const FLEET_PRIVILEGES_FIX =
  "give the user or API key the provider runs as Kibana's Fleet privileges on the key's space: from Kibana 8.18 Fleet's agents_all sub-feature privilege (`feature_fleetv2.agents_all`; on a Basic license, Fleet `all`, which includes it); on 8.14–8.17 Fleet `all` with Integrations `read` (`feature_fleetv2.all` and `feature_fleet.read`)";
const fleetFix = (res: HttpResponse): string | undefined => (res.status === 403 ? FLEET_PRIVILEGES_FIX : undefined);

/** Fleet's own answer for a key it does not know, in this space (B.4); "not found in namespace" is not that. */
function provenUnknownKey(res: HttpResponse, id: string): boolean {
  return (
    res.status === 404 &&
    fromKibana(res) &&
    (res.body as { message?: unknown } | undefined)?.message === `Enrollment api key ${id} not found`
  );
}

/** B.2 step 1: Fleet's answer for a policy it does not know (404 since 8.15, 400 with the same message before). */
function unknownPolicy(res: HttpResponse): boolean {
  return (
    (res.status === 404 || res.status === 400) &&
    fromKibana(res) &&
    /Agent policy .* not found/i.test(elasticMessage(res))
  );
}

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
  if (unknownPolicy(res)) {
    const space = spaceId ?? "default";
    if (space !== "default" && !(await spaceExists(fleet, space)))
      throw unexpected(res, `Kibana space "${space}" does not exist`, {
        code: "not_found",
        fix: `create the space first, or correct spaceId (the agent policy "${body.policy_id}" must live in that space)`,
      });
    throw unexpected(res, `agent policy "${body.policy_id}" does not exist in Kibana space "${space}"`, {
      code: "not_found",
      fix: "create the agent policy first, or correct policyId (and spaceId if the policy lives in another space)",
    });
  }
  if ((res.status === 409 || (res.status === 400 && /already exists/.test(res.text))) && fromKibana(res))
    throw unexpected(
      res,
      `an enrollment key named "${body.name}" already exists for agent policy "${body.policy_id}" (Fleet counts revoked keys too)`,
      {
        code: "conflict",
        fix: "choose another name, use namePrefix, or leave name unset so a unique name is generated",
      },
    );
  return expectCreated(
    res,
    "Fleet",
    z.object({ item: enrollmentKeyWire }),
    "creating the enrollment key failed",
    fleetFix(res),
  ).item;
}

/** B.4: the key (with its secret); absent only on Fleet's own "Enrollment api key <id> not found". */
/**
 * Kibana's clock (its answers carry `Date`, as every Node HTTP server's do), read from a read of this key: what
 * judges an enrollment key's rotation (README, Rotation). Throws when the answer has none.
 */
export async function fleetClock(fleet: Target, spaceId: string | undefined, id: string): Promise<number> {
  const res = await send(fleet, {
    method: "GET",
    path: `${spacePrefix(spaceId)}${FLEET_KEYS}/${encodeURIComponent(id)}`,
    idempotent: true,
  });
  const at = res.date ? Date.parse(res.date) : NaN;
  if (Number.isNaN(at))
    throw new ElasticKeysError("unexpected_answer", `Fleet's answer at ${res.endpoint} carries no Date header`, {
      fix: "check that the Fleet setting points at Kibana itself, not at a proxy that drops the Date header",
    });
  return at;
}

export async function getEnrollmentKey(
  fleet: Target,
  spaceId: string | undefined,
  id: string,
): Promise<Lookup<EnrollmentKeyWire>> {
  const res = await send(fleet, {
    method: "GET",
    path: `${spacePrefix(spaceId)}${FLEET_KEYS}/${pathSegment(id, "enrollment key id")}`,
    idempotent: true,
  });
  if (provenUnknownKey(res, id)) return { found: false };
  const item = expectBody(
    res,
    "Fleet",
    z.object({ item: enrollmentKeyWire }),
    `reading enrollment key ${id} failed`,
    fleetFix(res),
  );
  return { found: true, value: item.item };
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
    const body = expectBody(
      res,
      "Fleet",
      z.object({ items: z.array(enrollmentKeyWire), total: z.number() }),
      `listing enrollment keys of policy "${policyId}" failed`,
      fleetFix(res),
    );
    all.push(...body.items);
    if (body.items.length === 0 || all.length >= body.total) return all;
  }
}

/** B.5: revoke (soft). False only when Fleet proves it does not know the key. */
export async function revokeEnrollmentKey(fleet: Target, spaceId: string | undefined, id: string): Promise<boolean> {
  const res = await send(fleet, {
    method: "DELETE",
    path: `${spacePrefix(spaceId)}${FLEET_KEYS}/${pathSegment(id, "enrollment key id")}`,
    idempotent: true,
  });
  if (provenUnknownKey(res, id)) return false;
  expectBody(res, "Fleet", z.object({}).passthrough(), `revoking enrollment key ${id} failed`, fleetFix(res));
  return true;
}

/** Whether a Kibana space exists (only asked on an error path, to name the right cause). */
async function spaceExists(kibana: Target, space: string): Promise<boolean> {
  const res = await send(kibana, {
    method: "GET",
    path: `/api/spaces/space/${pathSegment(space, "Kibana space id")}`,
    idempotent: true,
  });
  return !(res.status === 404 && fromKibana(res));
}
