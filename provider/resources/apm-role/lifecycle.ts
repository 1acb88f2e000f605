// ApmRole: see SPEC.md (R1–R11).
import { deleteRole, getRole, putRole } from "../../elastic/elasticsearch";
import { createAndReconcile } from "../../framework/create-and-reconcile";
import { unknownClusterPrivilegeWarnings } from "./cluster-privileges";
import { apmRoleOutputs } from "./outputs";
import { defineLifecycle, MARK_INPUT } from "../../framework/lifecycle";
import { createdMeanwhile, markedRoleLeftovers, roleExists } from "./role-marks";
import { refuseUndeclarable } from "./undeclarable";
import { ElasticKeysError } from "../../elastic/errors";
import { apmRoleInputs, inputsFromRole, roleBody, type ApmRoleInputs } from "./schema";

type ApmRoleOutputs = { unmanaged?: unknown };

export const apmRoleLifecycle = defineLifecycle<ApmRoleInputs, ApmRoleOutputs, "ApmRole">({
  type: "ApmRole",
  description:
    "An Elasticsearch role whose holders can create and invalidate APM agent keys and nothing more: cluster `manage_own_api_key`, the `apm` application privileges on `*`, and Kibana `feature_apm.all` on the chosen spaces (each becomes resource `space:<id>`, so holders can also manage agent keys in Kibana's APM UI). Managed through the Elasticsearch role API, because the Kibana role API cannot hold `apm` application privileges. **Needs** `manage_security`, no Kibana privilege. **Refresh** reads the role back: an out-of-band edit shows as a diff that the next `up` repairs; a deleted role is recreated. Creating over an existing role fails unless `adoptExisting: true` — also when another stack creates it at the same moment. A rename creates the new role before deleting the old one.",
  outputs: apmRoleOutputs,
  schema: apmRoleInputs,
  replaceOn: ["name"],
  marked: true, // R10
  // R4: a rename creates the new role first: the names differ, so nothing collides and holders never lose access.
  insteadOfImport:
    "To manage an existing role, declare it without `import` and set `adoptExisting: true`: the first `up` takes it over.",
  example: ({ name }) => ({ name }),
  // PUT is an upsert that would silently take over someone else's role, so a create looks first (404), unless
  // adoptExisting asks for the takeover; once per process the caller's identity.
  createRequests: {
    each: ["GET /_security/role/{name}", "PUT /_security/role/{name}"],
    oncePerProcess: ["GET /_security/_authenticate"],
  },
  target: (conn) => conn.elasticsearch(),
  hasDrift: (olds) => olds.unmanaged !== undefined,
  warnings: (_conn, inputs) => unknownClusterPrivilegeWarnings(inputs.cluster),

  async create({ conn }, inputs, mark) {
    const es = conn.elasticsearch();
    // R5: PUT would silently overwrite someone else's role; look first unless adoption was asked for.
    if (!inputs.adoptExisting) {
      const existing = await getRole(es, inputs.name);
      if (existing.found) throw roleExists(inputs.name, existing.value);
    }
    // R10: the write carries this create's mark, so a lost answer is settled by what the mark proves (ours, or not).
    await createAndReconcile({
      mark: mark!,
      attempt: async () => {
        const { created } = await putRole(es, inputs.name, roleBody(inputs, mark), { creates: true });
        // R5: someone else created it between the look and the write; this stack must not take it over.
        if (!created && !inputs.adoptExisting) throw createdMeanwhile(inputs.name, es.urls[0]);
        return { id: inputs.name };
      },
      leftovers: () => markedRoleLeftovers(es, inputs.name, mark!, !inputs.adoptExisting),
      unresolved: () => ({}),
    });
    return { id: inputs.name, outs: {} };
  },

  async read({ conn }, id) {
    const role = await getRole(conn.elasticsearch(), id);
    if (!role.found) return undefined; // R6: deleted out of band (Elasticsearch's own 404)
    return { name: id, unmanaged: undefined, ...inputsFromRole(role.value) };
  },

  async update({ conn }, _id, olds, news) {
    // R4: full replace; the create's mark stays in the role's metadata (R10).
    await putRole(conn.elasticsearch(), news.name, roleBody(news, (olds as Record<string, unknown>)[MARK_INPUT]));
    return { unmanaged: undefined };
  },

  async delete({ conn }, id) {
    await deleteRole(conn.elasticsearch(), id); // R7: Elasticsearch's own 404 is fine
  },

  // R10: the role named in state, if it carries this create's mark.
  unresolvedLeftovers: ({ conn }, outs) =>
    markedRoleLeftovers(conn.elasticsearch(), String(outs.name), String(outs[MARK_INPUT])),

  // R9: the role by name, its content as the inputs that would write it again; refused, before anything is read,
  // for a name no role can have (R8), and, once read, for a role holding what the inputs cannot declare.
  async importExisting({ conn }, id) {
    const named = apmRoleInputs.shape.name.safeParse(id);
    if (!named.success)
      throw new ElasticKeysError(
        "invalid_input",
        `${JSON.stringify(id)} cannot be imported as an ApmRole: the role name ${named.error.issues[0].message}`,
        {
          fix: "give the import the role's exact name",
        },
      );
    const role = await getRole(conn.elasticsearch(), id);
    if (!role.found) return undefined;
    const { unmanaged, ...read } = inputsFromRole(role.value);
    refuseUndeclarable(id, unmanaged);
    return { id, inputs: { name: id, ...read, adoptExisting: false }, outs: {} };
  },
});
