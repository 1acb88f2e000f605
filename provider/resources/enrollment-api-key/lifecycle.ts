// EnrollmentApiKey: see SPEC.md (R1–R9).
import { isLive } from "../../api-keys";
import { elasticsearchTarget, fleetTarget } from "../../connection";
import { getApiKey } from "../../elasticsearch";
import { ElasticKeysError, registerSecret } from "../../errors";
import { getEnrollmentKey, revokeEnrollmentKey, type EnrollmentKeyWire } from "../../kibana";
import { defineLifecycle } from "../../lifecycle";
import { createOrAdoptEnrollmentKey } from "./create-or-adopt";
import { autoName, refuseNameReuse } from "./naming";
import { enrollmentApiKeyInputs, type EnrollmentApiKeyInputs, type EnrollmentApiKeyOutputs } from "./schema";

function outputsOf(key: EnrollmentKeyWire): EnrollmentApiKeyOutputs {
  registerSecret(key.api_key);
  return {
    keyId: key.id,
    apiKeyId: key.api_key_id,
    fleetName: key.name ?? key.id, // B.1: without a name Fleet uses the id
    active: key.active,
    createdAt: key.created_at,
    apiKey: key.api_key,
  };
}

/**
 * Best effort (R6): Fleet still reports a key active when its Elasticsearch key was invalidated directly. When
 * Elasticsearch settings are configured and the key is visible to them, an invalidated or expired key is gone too.
 * Anything else (no settings, not visible, an error) leaves the decision to Fleet's answer.
 */
async function tokenInvalidatedBehindFleet(apiKeyId: string): Promise<boolean> {
  try {
    const key = await getApiKey(elasticsearchTarget(), apiKeyId);
    return key !== undefined && !isLive(key);
  } catch {
    return false;
  }
}

export const enrollmentApiKeyLifecycle = defineLifecycle<EnrollmentApiKeyInputs, EnrollmentApiKeyOutputs>({
  type: "EnrollmentApiKey",
  schema: enrollmentApiKeyInputs,
  replaceOn: "all", // R5: Fleet has no update route
  checkSettings: () => void fleetTarget(),
  computeInputs: autoName, // R3
  checkTransition: refuseNameReuse, // R4

  async create(inputs) {
    const name = inputs.name;
    if (!name) throw new ElasticKeysError("no key name was computed (provider bug: check generates one, R3)");
    const key = await createOrAdoptEnrollmentKey(fleetTarget(), {
      policyId: inputs.policyId,
      name,
      spaceId: inputs.spaceId,
    });
    return { id: key.id, outs: outputsOf(key) };
  },

  async read(id, olds) {
    // Both reads at once when the state already names the Elasticsearch key (a Fleet key never changes it): refresh
    // then costs one round trip per key, not two (npm run bench).
    const known = olds.apiKeyId;
    const [key, deadBehindFleet] = await Promise.all([
      getEnrollmentKey(fleetTarget(), olds.spaceId, id),
      known ? tokenInvalidatedBehindFleet(known) : undefined,
    ]);
    if (!key?.active) return undefined; // R6: revoked or missing ⇒ gone
    const dead = key.api_key_id === known ? deadBehindFleet : await tokenInvalidatedBehindFleet(key.api_key_id);
    if (dead) return undefined; // R6: the token no longer works
    return { ...outputsOf(key), apiKey: key.api_key || olds.apiKey };
  },

  async delete(id, olds) {
    await revokeEnrollmentKey(fleetTarget(), olds.spaceId, id); // R8: 404 and already revoked are fine
  },
});
