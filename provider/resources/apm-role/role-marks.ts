// Whose a role is (SPEC R5, R10). Role names are unique and PUT is a full replace, so a create looks first, writes
// with its mark in the role's metadata, and after a lost answer settles by that mark instead of writing again: a
// second PUT would answer `created: false` whoever made the role.
import { deleteRole, getRole, type RoleWire } from "../../elastic/elasticsearch";
import { ElasticKeysError } from "../../elastic/errors";
import type { Target } from "../../elastic/target";
import type { Leftover } from "../../framework/create-and-reconcile";
import { markOf } from "../shared/marks";

/**
 * The role with this name if it carries this create's mark: provably this create's, so taken as its result. During a
 * create (`othersRefused`), a role without the mark is someone else's that appeared after the look (R5): refused
 * before this create writes again.
 */
export async function markedRoleLeftovers(
  es: Target,
  name: string,
  mark: string,
  othersRefused = false,
): Promise<Leftover<{ id: string }>[]> {
  const role = await getRole(es, name);
  if (!role.found) return [];
  if (markOf(role.value.metadata) !== mark) {
    if (othersRefused) throw createdMeanwhile(name, es.urls[0]);
    return [];
  }
  return [{ id: name, adoptable: { id: name }, discard: async () => void (await deleteRole(es, name)) }];
}

/** R5: the role exists before this create wrote anything. */
export function roleExists(name: string, role: RoleWire): ElasticKeysError {
  // Another create of this provider left it (its process died before the outcome was recorded): say so, it may be
  // this stack's own interrupted create (README, Troubleshooting).
  const ours = markOf(role.metadata)
    ? " It carries a create mark of pulumi-elastic-keys: it may be what an interrupted create made (a killed `pulumi up` or provider process) — `pulumi-elastic-keys settle-pending` removes it if that create was this stack's."
    : "";
  return new ElasticKeysError("conflict", `a role named "${name}" already exists in Elasticsearch.${ours}`, {
    fix: "choose another name, or set adoptExisting: true to take the existing role over (its content is replaced by this resource's)",
  });
}

/** R5: someone else created it between the look and this create's write. */
export function createdMeanwhile(name: string, esUrl: string): ElasticKeysError {
  return new ElasticKeysError(
    "conflict",
    `role "${name}" was created by someone else while this stack created it (Elasticsearch answered created: false), so this stack does not manage it`,
    {
      endpoint: `PUT ${esUrl}/_security/role/${name}`,
      fix: `this write replaced that role's content with this stack's: whoever manages it should run their \`pulumi up\` again to restore it. Then choose another name here, or set adoptExisting: true if this stack should manage it`,
    },
  );
}
