// What an existing role holds that an ApmRole cannot declare (SPEC R9): taken under management, the next `up` would
// remove it (PUT is a full replace), so an import refuses it, naming each part and what to do.
import { ElasticKeysError } from "../../elastic/errors";

/** The parts `inputsFromRole` keeps in `unmanaged`, in words a user can look up in the role. */
const PARTS: Record<string, string> = {
  applications: "privileges of other applications (`applications` beyond `apm` and Kibana's `feature_apm.all`)",
  indices: "index privileges (`indices`)",
  run_as: "`run_as`",
  remote_indices: "remote index privileges (`remote_indices`)",
  remote_cluster: "remote cluster privileges (`remote_cluster`)",
  global: "global privileges (`global`)",
  missingCluster: "no `manage_own_api_key` cluster privilege (an ApmRole always grants it, so it would be added)",
  apmResources: 'the `apm` privileges on resources other than `"*"`',
  kibanaPrivileges: "Kibana privileges beyond `feature_apm.all`",
};

/** Each part of `unmanaged`, described. */
export function undeclarableParts(unmanaged: unknown): string[] {
  if (!unmanaged || typeof unmanaged !== "object") return [];
  return Object.keys(unmanaged).map((k) => PARTS[k] ?? `\`${k}\``);
}

/** R9: refuses to import a role holding what an ApmRole cannot declare. */
export function refuseUndeclarable(name: string, unmanaged: unknown): void {
  const parts = undeclarableParts(unmanaged);
  if (parts.length === 0) return;
  throw new ElasticKeysError(
    "invalid_input",
    `role "${name}" cannot be imported as an ApmRole: it holds what an ApmRole cannot declare, which the next \`pulumi up\` would change: ${parts.join("; ")}`,
    {
      fix: `an ApmRole declares only cluster privileges, the apm application privileges on "*" and Kibana's feature_apm.all on spaces: move the other privileges to a role of their own (and remove them from "${name}") before importing it, or leave "${name}" outside Pulumi and declare an ApmRole of another name`,
    },
  );
}
