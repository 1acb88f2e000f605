// ApmRole: see SPEC.md (R1–R9).
import { deleteRole, getRole, putRole } from "../../elastic/elasticsearch";
import { ElasticKeysError } from "../../elastic/errors";
import { apmRoleOutputs } from "./outputs";
import { defineLifecycle } from "../../framework/lifecycle";
import { apmRoleInputs, inputsFromRole, roleBody, type ApmRoleInputs } from "./schema";

type ApmRoleOutputs = { unmanaged?: unknown };

export const apmRoleLifecycle = defineLifecycle<ApmRoleInputs, ApmRoleOutputs, "ApmRole">({
  type: "ApmRole",
  description:
    "An Elasticsearch role whose holders can create and invalidate APM agent keys and nothing more: cluster `manage_own_api_key`, the `apm` application privileges on `*`, and Kibana `feature_apm.all` on the chosen spaces (each becomes resource `space:<id>`, so holders can also manage agent keys in Kibana's APM UI). Managed through the Elasticsearch role API, because the Kibana role API cannot hold `apm` application privileges. **Needs** `manage_security`, no Kibana privilege. **Refresh** reads the role back: an out-of-band edit shows as a diff that the next `up` repairs; a deleted role is recreated. Creating over an existing role fails unless `adoptExisting: true` — also when another stack creates it at the same moment. A rename creates the new role before deleting the old one.",
  outputs: apmRoleOutputs,
  schema: apmRoleInputs,
  replaceOn: ["name"],
  // R4: a rename creates the new role first: the names differ, so nothing collides and holders never lose access.
  insteadOfImport:
    "To manage an existing role, declare it without `import` and set `adoptExisting: true`: the first `up` takes it over.",
  checkSettings: (conn) => void conn.elasticsearch(),
  hasDrift: (olds) => olds.unmanaged !== undefined,

  async create({ conn }, inputs) {
    const es = conn.elasticsearch();
    // R5: PUT would silently overwrite someone else's role; look first unless adoption was asked for.
    if (!inputs.adoptExisting && (await getRole(es, inputs.name)).found) {
      throw new ElasticKeysError("conflict", `a role named "${inputs.name}" already exists in Elasticsearch`, {
        fix: "choose another name, or set adoptExisting: true to take the existing role over (its content is replaced by this resource's)",
      });
    }
    const { created } = await putRole(es, inputs.name, roleBody(inputs));
    if (!created && !inputs.adoptExisting) {
      // R5: someone else created it between the look and the write; this stack must not take it over.
      throw new ElasticKeysError(
        "conflict",
        `role "${inputs.name}" was created by someone else while this stack created it (Elasticsearch answered created: false), so this stack does not manage it`,
        {
          endpoint: `PUT ${es.urls[0]}/_security/role/${inputs.name}`,
          fix: `this write replaced that role's content with this stack's: whoever manages it should run their \`pulumi up\` again to restore it. Then choose another name here, or set adoptExisting: true if this stack should manage it`,
        },
      );
    }
    return { id: inputs.name, outs: {} };
  },

  async read({ conn }, id) {
    const role = await getRole(conn.elasticsearch(), id);
    if (!role.found) return undefined; // R6: deleted out of band (Elasticsearch's own 404)
    return { name: id, unmanaged: undefined, ...inputsFromRole(role.value) };
  },

  async update({ conn }, _id, _olds, news) {
    await putRole(conn.elasticsearch(), news.name, roleBody(news)); // R4: full replace
    return { unmanaged: undefined };
  },

  async delete({ conn }, id) {
    await deleteRole(conn.elasticsearch(), id); // R7: Elasticsearch's own 404 is fine
  },

  // A role is created by one idempotent PUT: its create is never unresolved.
  unresolvedLeftovers: async () => [],

  // R9: the role by name, its content as the inputs that would write it again.
  async importExisting({ conn }, id) {
    const role = await getRole(conn.elasticsearch(), id);
    if (!role.found) return undefined;
    const { unmanaged, ...read } = inputsFromRole(role.value);
    return { id, inputs: { name: id, ...read, adoptExisting: false }, outs: { unmanaged } };
  },
});
