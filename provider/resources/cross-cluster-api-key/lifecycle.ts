// CrossClusterApiKey: see SPEC.md (R1–R11).
import { createWithoutOrphans, invalidateKey, readLiveKey } from "../../api-keys";
import { elasticsearchTarget } from "../../connection";
import { createCrossClusterApiKey, updateCrossClusterApiKey } from "../../elasticsearch";
import { registerSecret } from "../../errors";
import { defineLifecycle } from "../../lifecycle";
import { accessFromWire, accessToWire } from "./access";
import { crossClusterApiKeyInputs, type CrossClusterApiKeyInputs, type CrossClusterApiKeyOutputs } from "./schema";

const isoOrUndefined = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

export const crossClusterApiKeyLifecycle = defineLifecycle<CrossClusterApiKeyInputs, CrossClusterApiKeyOutputs>({
  type: "CrossClusterApiKey",
  schema: crossClusterApiKeyInputs,
  replaceOn: ["name", "expiration", "rotationTrigger"], // R5; access and metadata update in place (R4)
  checkSettings: () => void elasticsearchTarget(),

  async create(inputs) {
    const es = elasticsearchTarget();
    const body = {
      name: inputs.name,
      access: accessToWire(inputs.access),
      ...(inputs.expiration !== undefined ? { expiration: inputs.expiration } : {}),
      ...(Object.keys(inputs.metadata).length ? { metadata: inputs.metadata } : {}),
    };
    const key = await createWithoutOrphans(
      es,
      inputs.name,
      (k) => k.type === "cross_cluster", // R9: only cross-cluster keys can be orphans of this create
      () => createCrossClusterApiKey(es, body),
    );
    registerSecret(key.api_key);
    registerSecret(key.encoded);
    return {
      id: key.id,
      outs: { keyId: key.id, expiresAt: isoOrUndefined(key.expiration), apiKey: key.api_key, encoded: key.encoded },
    };
  },

  async read(id, olds) {
    const key = await readLiveKey(elasticsearchTarget(), id);
    if (!key) return undefined; // R6: invalidated, expired or unknown ⇒ gone
    return {
      keyId: id,
      name: key.name,
      // R7: read back in the inputs' canonical form, so only a real change shows as a diff.
      access: key.access ? accessFromWire(key.access) : olds.access,
      metadata: key.metadata ?? {},
      expiresAt: isoOrUndefined(key.expiration),
      // The secrets cannot be read back: carried from state.
      apiKey: olds.apiKey,
      encoded: olds.encoded,
    };
  },

  async update(id, olds, news) {
    // R4: access and metadata are replaced whole (C.4); the key id and its secret stay the same.
    await updateCrossClusterApiKey(elasticsearchTarget(), id, {
      access: accessToWire(news.access),
      metadata: news.metadata,
    });
    return { keyId: id, expiresAt: olds.expiresAt, apiKey: olds.apiKey, encoded: olds.encoded };
  },

  async delete(id) {
    await invalidateKey(elasticsearchTarget(), id); // R8
  },
});
