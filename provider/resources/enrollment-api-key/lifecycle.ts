// EnrollmentApiKey: see SPEC.md (R1–R10).
import { readKeyState } from "../../api-keys";
import type { Connection } from "../../connection";
import { createAndReconcile } from "../../create-and-reconcile";
import { hasCode, registerSecret } from "../../errors";
import { createEnrollmentKey, getEnrollmentKey, revokeEnrollmentKey, type EnrollmentKeyWire } from "../../kibana";
import { enrollmentApiKeyOutputs } from "./outputs";
import { defineLifecycle } from "../../lifecycle";
import { enrollmentKeyLeftovers, keysNamed, type KeyName } from "./fleet-keys";
import { autoName, refuseNameReuse, spentNameMessage } from "./naming";
import { enrollmentApiKeyInputs, type EnrollmentApiKeyInputs, type EnrollmentApiKeyOutputs } from "./schema";

function outputsOf(key: EnrollmentKeyWire, apiKey: string | undefined): EnrollmentApiKeyOutputs {
  registerSecret(apiKey);
  return {
    keyId: key.id,
    apiKeyId: key.api_key_id,
    fleetName: key.name ?? key.id, // docs/elastic-api.md B.1: without a name Fleet uses the id
    active: key.active,
    createdAt: key.created_at,
    apiKey: apiKey ?? "",
  };
}

const keyName = (i: { policyId: string; name?: string; namePrefix?: string; spaceId?: string }): KeyName => ({
  policyId: i.policyId,
  name: i.name ?? "",
  spaceId: i.spaceId,
  generated: i.namePrefix !== undefined,
});

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

export const enrollmentApiKeyLifecycle = defineLifecycle<
  EnrollmentApiKeyInputs,
  EnrollmentApiKeyOutputs,
  "EnrollmentApiKey"
>({
  type: "EnrollmentApiKey",
  description:
    "A Fleet enrollment API key (the token Elastic Agents enroll with into one agent policy). Without `name`, the key is named `<namePrefix or logical name>-<random>` and every replacement gets a new name. `apiKey` is a secret.",
  outputs: enrollmentApiKeyOutputs,
  schema: enrollmentApiKeyInputs,
  replaceOn: "all", // R5: Fleet has no update route
  insteadOfImport:
    "Import existing enrollment keys with the native plugin (`pulumi import elastic:index:EnrollmentApiKey`, see README), or let this resource create a new key.",
  checkSettings: (conn) => void conn.fleet(),
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
      return { id: key.id, outs: outputsOf(key, key.api_key) };
    } catch (err) {
      if (!hasCode(err, "conflict")) throw err;
      // R10: say whether the name is held by an active key or spent by a revoked one.
      const taken = await keysNamed(fleet, name).catch(() => []);
      throw taken.length > 0 ? err.with({ fix: spentNameMessage(name.name, name.policyId, taken[0]) }) : err;
    }
  },

  async read({ conn }, id, olds) {
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
    if (dead) return undefined; // R6: the token no longer works
    return outputsOf(key.value, key.value.api_key || olds.apiKey);
  },

  async delete({ conn }, id, olds) {
    await revokeEnrollmentKey(conn.fleet(), olds.spaceId, id); // R8: already revoked, or unknown to Fleet, is fine
  },

  unresolvedLeftovers: ({ conn }, outs) =>
    enrollmentKeyLeftovers(conn.fleet(), keyName(outs as unknown as EnrollmentApiKeyInputs)),
});
