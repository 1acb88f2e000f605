// ApmAgentKey: see SPEC.md (R1–R8).
import { createWithoutOrphans, invalidateKey, readLiveKey } from "../../api-keys";
import { elasticsearchTarget, kibanaTarget } from "../../connection";
import { registerSecret } from "../../errors";
import { createAgentKey } from "../../kibana";
import { defineLifecycle } from "../../lifecycle";
import { apmAgentKeyInputs, type ApmAgentKeyInputs, type ApmAgentKeyOutputs } from "./schema";

export const apmAgentKeyLifecycle = defineLifecycle<ApmAgentKeyInputs, ApmAgentKeyOutputs>({
  type: "ApmAgentKey",
  schema: apmAgentKeyInputs,
  replaceOn: "all", // R4
  checkSettings: () => {
    kibanaTarget();
    elasticsearchTarget();
  },

  async create(inputs) {
    const kibana = kibanaTarget();
    const es = elasticsearchTarget();
    const key = await createWithoutOrphans(
      es,
      inputs.name,
      (k) => k.metadata?.application === "apm", // R7: only APM keys can be orphans of an APM create
      () => createAgentKey(kibana, inputs.spaceId, inputs.name, inputs.privileges),
    );
    registerSecret(key.api_key);
    registerSecret(key.encoded);
    return { id: key.id, outs: { keyId: key.id, apiKey: key.api_key, encoded: key.encoded } };
  },

  async read(id, olds) {
    const key = await readLiveKey(elasticsearchTarget(), id);
    if (!key) return undefined; // R5
    return {
      keyId: id,
      apiKey: olds.apiKey,
      encoded: olds.encoded,
      createdAt: key.creation !== undefined ? new Date(key.creation).toISOString() : olds.createdAt,
    };
  },

  async delete(id) {
    await invalidateKey(elasticsearchTarget(), id); // R6
  },
});
