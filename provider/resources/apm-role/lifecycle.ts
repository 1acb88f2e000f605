// ApmRole: see SPEC.md (R1–R8).
import { elasticsearchTarget } from "../../connection";
import { deleteRole, getRole, putRole } from "../../elasticsearch";
import { ElasticKeysError } from "../../errors";
import { defineLifecycle } from "../../lifecycle";
import { apmRoleInputs, inputsFromRole, roleBody, type ApmRoleInputs } from "./schema";

type ApmRoleOutputs = { unmanaged?: unknown };

export const apmRoleLifecycle = defineLifecycle<ApmRoleInputs, ApmRoleOutputs>({
  type: "ApmRole",
  schema: apmRoleInputs,
  replaceOn: ["name"],
  deleteBeforeReplace: true, // R4: the new role reuses nothing but the name would collide
  checkSettings: () => void elasticsearchTarget(),
  hasDrift: (olds) => olds.unmanaged !== undefined,

  async create(inputs) {
    const es = elasticsearchTarget();
    // R5: PUT would silently overwrite someone else's role; look first unless adoption was asked for.
    if (!inputs.adoptExisting && (await getRole(es, inputs.name))) {
      throw new ElasticKeysError(`a role named "${inputs.name}" already exists in Elasticsearch`, {
        fix: "choose another name, or set adoptExisting: true to take the existing role over (its content is replaced by this resource's)",
      });
    }
    await putRole(es, inputs.name, roleBody(inputs));
    return { id: inputs.name, outs: {} };
  },

  async read(id) {
    const role = await getRole(elasticsearchTarget(), id);
    if (!role) return undefined; // R6: deleted out of band
    return { name: id, unmanaged: undefined, ...inputsFromRole(role) };
  },

  async update(_id, _olds, news) {
    await putRole(elasticsearchTarget(), news.name, roleBody(news)); // R4: full replace
    return { unmanaged: undefined };
  },

  async delete(id) {
    await deleteRole(elasticsearchTarget(), id); // R7: false (404) is fine
  },
});
