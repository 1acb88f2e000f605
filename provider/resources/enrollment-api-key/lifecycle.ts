// EnrollmentApiKey: see SPEC.md.
import { readKeyState } from "../shared/api-keys";
import type { Connection } from "../../elastic/connection";
import { createAndReconcile } from "../../framework/create-and-reconcile";
import { ElasticKeysError, hasCode } from "../../elastic/errors";
import {
  createEnrollmentKey,
  fleetClock,
  getEnrollmentKey,
  revokeEnrollmentKey,
  type EnrollmentKeyWire,
} from "../../elastic/kibana";
import { enrollmentApiKeyOutputs } from "./outputs";
import { isPathSegment } from "../../elastic/path-segment";
import { spaceId as spaceIdRule } from "../shared/fields";
import { enrollmentVerdict, warningHorizonMs } from "../shared/key-schedule";
import { rotatesAtOf } from "../shared/rotation";
import { defineLifecycle } from "../../framework/lifecycle";
import { enrollmentKeyLeftovers, keysNamed, type KeyName } from "./fleet-keys";
import { autoName, refuseNameReuse, spentNameMessage } from "./naming";
import { enrollmentApiKeyInputs, type EnrollmentApiKeyInputs, type EnrollmentApiKeyOutputs } from "./schema";

/** The outputs of a key Fleet answered with; its token joins the secrets `conn` keeps out of every text. */
function outputsOf(
  conn: Connection,
  key: EnrollmentKeyWire,
  apiKey: string | undefined,
  schedule: { rotateAfter?: string },
): EnrollmentApiKeyOutputs {
  conn.keepSecret(apiKey);
  return {
    keyId: key.id,
    apiKeyId: key.api_key_id,
    fleetName: key.name ?? key.id, // docs/elastic-api.md B.1: without a name Fleet uses the id
    active: key.active,
    createdAt: key.created_at,
    rotatesAt: rotatesAtOf(schedule, Date.parse(key.created_at)), // R12: Fleet's own creation time
    apiKey: apiKey ?? "",
  };
}

const keyName = (i: { policyId: string; name?: string; namePrefix?: string; spaceId?: string }): KeyName => ({
  policyId: i.policyId,
  name: i.name ?? "",
  spaceId: i.spaceId,
  generated: i.namePrefix !== undefined,
});

const DEAD_TOKEN =
  "its Elasticsearch API key was invalidated, expired or deleted outside Fleet, so the token no longer enrolls agents, while Fleet still lists it active";

/**
 * Best effort (R6): Fleet still reports a key active when its Elasticsearch key was invalidated directly. When
 * Elasticsearch settings are configured and can see the key, an invalidated, expired or deleted key is gone too.
 * Anything else (no settings, a key it may not see, an error) leaves the decision to Fleet's answer.
 */
async function tokenDeadBehindFleet(conn: Connection, apiKeyId: string): Promise<boolean> {
  if (!conn.hasElasticsearch()) return false;
  try {
    return !(await readKeyState(conn, apiKeyId, undefined)).live;
  } catch {
    return false;
  }
}

/**
 * R11: `<keyId>` or `<spaceId>/<keyId>`, each part checked before any request is built from it: a space id by
 * Kibana's rule, a key id a single path segment (provider/elastic/path-segment.ts), nothing more.
 */
function parseImportId(importId: string): { spaceId?: string; id: string } {
  const parts = importId.split("/");
  const [spaceId, id] = parts.length === 2 ? parts : [undefined, parts[0]];
  const space = spaceId === undefined ? undefined : spaceIdRule.safeParse(spaceId);
  if (parts.length > 2 || !isPathSegment(id) || (space && !space.success))
    throw new ElasticKeysError("invalid_input", `${JSON.stringify(importId)} is not an enrollment key import id`, {
      fix: `give \`<keyId>\`, or \`<spaceId>/<keyId>\` for a key in another Kibana space (a space id is lowercase letters, digits, "_" and "-"; a key id is the \`keyId\` Fleet lists)`,
    });
  return spaceId === undefined ? { id } : { spaceId, id };
}

export const enrollmentApiKeyLifecycle = defineLifecycle<
  EnrollmentApiKeyInputs,
  EnrollmentApiKeyOutputs,
  "EnrollmentApiKey"
>({
  type: "EnrollmentApiKey",
  description:
    'A Fleet enrollment token for one agent policy (`/api/fleet/enrollment_api_keys`). Fleet stores the name as `"<name> (<id>)"` and refuses a name that any key of the policy — revoked ones included — already has, so names are generated Pulumi-style (`<logical name or namePrefix>-<8 hex>`, a new suffix on every replacement); with an explicit `name`, a replacement is refused at preview. **Needs** these Kibana privileges on the space of the key: from Kibana 8.18 the Fleet sub-feature privilege `agents_all` (`feature_fleetv2.agents_all`, included in Fleet `all`; Kibana registers sub-feature privileges only with a Gold or better license or a trial, so on Basic grant Fleet `all`); on 8.14–8.17 Fleet `all` with Integrations `read` (`feature_fleetv2.all` and `feature_fleet.read`). Fleet `read` is not enough, not even to read keys. **Refresh**: revoked (`active: false`) or missing ⇒ removed from state; a token whose Elasticsearch key was invalidated behind Fleet\'s back (Fleet still lists it active) stays in state and is replaced by the next `up` (the old one revoked in Fleet), or revoked by `destroy`. **Delete** revokes (soft delete).',
  outputs: enrollmentApiKeyOutputs,
  schema: enrollmentApiKeyInputs,
  // R5: Fleet has no update route; only the schedule changes in place (R12), in state alone.
  replaceOn: ["policyId", "name", "namePrefix", "spaceId", "rotationTrigger"],
  insteadOfImport:
    "Import existing enrollment keys with the native plugin (`pulumi import elastic:index:EnrollmentApiKey`, see README), or let this resource create a new key.",
  example: ({ policyId }) => ({ policyId }),
  // The answer carries the token; once per process Kibana's status (service-proof.ts).
  createRequests: { each: ["POST /api/fleet/enrollment_api_keys"], oncePerProcess: ["GET /api/status"] },
  target: (conn) => conn.fleet(),
  // A generated name is random and this key's own (R3), so it proves what an interrupted create made; an explicit one
  // proves nothing, and such a create is not journaled.
  journalMark: (inputs) => (inputs.namePrefix !== undefined ? `${inputs.policyId}/${inputs.name}` : undefined),
  computeInputs: autoName, // R3
  checkTransition: refuseNameReuse, // R4

  // R10: an explicit name any key of the policy ever had (revoked ones included) can never be created again.
  async checkCreate(conn, news) {
    if (news.namePrefix !== undefined || !news.name) return undefined;
    try {
      const taken = await keysNamed(conn.fleet(), keyName(news));
      return taken.length > 0 ? spentNameMessage(news.name, news.policyId, taken[0]) : undefined;
    } catch {
      return undefined; // cannot look now (unreachable, no privilege): the create reports Fleet's own answer
    }
  },

  async create({ conn }, inputs) {
    const fleet = conn.fleet();
    const name = keyName(inputs);
    try {
      const key = await createAndReconcile({
        mark: `${inputs.policyId}/${inputs.name}`,
        attempt: () => createEnrollmentKey(fleet, inputs.spaceId, { policy_id: inputs.policyId, name: inputs.name }),
        leftovers: () => enrollmentKeyLeftovers(fleet, name),
        unresolved: () => ({}),
      });
      return { id: key.id, outs: outputsOf(conn, key, key.api_key, inputs) };
    } catch (err) {
      if (!hasCode(err, "conflict")) throw err;
      // R10: say whether the name is held by an active key or spent by a revoked one.
      const taken = await keysNamed(fleet, name).catch(() => []);
      throw taken.length > 0 ? err.with({ fix: spentNameMessage(name.name, name.policyId, taken[0]) }) : err;
    }
  },

  async read({ conn, label }, id, olds) {
    // Both reads at once when the state already names the Elasticsearch key (a Fleet key never changes it): refresh
    // then costs one round trip per key, not two (npm run bench).
    const known = olds.apiKeyId;
    const [key, deadBehindFleet] = await Promise.all([
      getEnrollmentKey(conn.fleet(), olds.spaceId, id),
      known ? tokenDeadBehindFleet(conn, known) : undefined,
    ]);
    if (!key.found || !key.value.active) return undefined; // R6: revoked, or unknown to Fleet itself ⇒ gone
    const dead =
      key.value.api_key_id === known ? deadBehindFleet : await tokenDeadBehindFleet(conn, key.value.api_key_id);
    const outs = outputsOf(conn, key.value, key.value.api_key || olds.apiKey, olds);
    if (!dead) return { ...outs, deadToken: undefined };
    // R6: the token no longer works, but Fleet still lists it active (it reads its own document, never the key), so it
    // stays in state until Fleet revokes it: the next `up` replaces it, `destroy` revokes it.
    await conn.warn(
      `${label}: ${DEAD_TOKEN}; the next \`pulumi up\` replaces it (a new key first, then this one is revoked in Fleet)`,
    );
    return { ...outs, deadToken: true };
  },

  async update(_ctx, _id, olds, news) {
    return { ...olds, rotatesAt: rotatesAtOf(news, Date.parse(olds.createdAt)) }; // R12
  },

  // R12: judged by Kibana's clock; Fleet revokes at once on replacement (no overlap: agents already enrolled keep
  // their own API keys).
  async schedule({ conn }, id, olds, news) {
    if (news.rotateAfter === undefined) return { notices: [] };
    const now = await fleetClock(conn.fleet(), olds.spaceId, id);
    return enrollmentVerdict(news, olds.createdAt, now, warningHorizonMs(conn));
  },

  hasDrift: (olds) => olds.deadToken === true,
  driftReplaces: (olds) => olds.deadToken === true,

  async delete({ conn }, id, olds) {
    await revokeEnrollmentKey(conn.fleet(), olds.spaceId, id); // R8: already revoked, or unknown to Fleet, is fine
  },

  // R11: Fleet's read hands the token back, so an existing key can be taken over whole. Id `<keyId>`, or
  // `<spaceId>/<keyId>` for a key in another Kibana space.
  async importExisting({ conn }, importId) {
    const { spaceId, id } = parseImportId(importId);
    const key = await getEnrollmentKey(conn.fleet(), spaceId, id);
    if (!key.found) return undefined;
    if (!key.value.active)
      throw new ElasticKeysError("invalid_input", `enrollment key ${id} is revoked: there is nothing to import`, {
        fix: "import an active key, or let this resource create a new one",
      });
    // B.1: Fleet stores `"<name> (<id>)"`, or the id alone for a key made without a name.
    const given = key.value.name?.endsWith(` (${id})`) ? key.value.name.slice(0, -` (${id})`.length) : id;
    return {
      id,
      inputs: { policyId: key.value.policy_id ?? "", name: given, ...(spaceId ? { spaceId } : {}) },
      outs: outputsOf(conn, key.value, key.value.api_key, {}),
    };
  },

  unresolvedLeftovers: ({ conn }, outs) =>
    enrollmentKeyLeftovers(conn.fleet(), keyName(outs as unknown as EnrollmentApiKeyInputs)),
});
