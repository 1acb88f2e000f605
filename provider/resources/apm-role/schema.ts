import { z } from "zod";
import type { RoleWire } from "../../elastic/elasticsearch";
import { apmPrivileges, APM_PRIVILEGES, markableMetadata, sortedSet, spaceId } from "../shared/fields";
import { withMark, withoutMark } from "../shared/marks";
import { isPathSegment } from "../../elastic/path-segment";

const MANDATORY_CLUSTER = "manage_own_api_key";
const KIBANA_APP = "kibana-.kibana";
const APM_FEATURE = "feature_apm.all";

// docs/elastic-api.md D.1: reserved built-in roles cannot be written.
const RESERVED_ROLES: ReadonlySet<string> = new Set([
  "superuser",
  "kibana_system",
  "kibana_admin",
  "kibana_user",
  "apm_system",
  "apm_user",
  "editor",
  "viewer",
  "logstash_system",
  "beats_system",
  "remote_monitoring_agent",
  "remote_monitoring_collector",
  "monitoring_user",
  "ingest_admin",
  "transport_client",
  "watcher_admin",
  "watcher_user",
  "reporting_user",
  "rollup_admin",
  "rollup_user",
  "snapshot_user",
  "enrich_user",
  "machine_learning_admin",
  "machine_learning_user",
  "transform_admin",
  "transform_user",
]);

export const apmRoleInputs = z
  .object({
    name: z
      .string()
      // NativeRealmValidationUtil.MAX_NAME_LENGTH (507) and Validation.Roles in Elasticsearch's x-pack core
      // (security/support): printable ASCII, no surrounding space, not reserved.
      .regex(/^[\x20-\x7e]{1,507}$/, "must be 1–507 printable ASCII characters (Elasticsearch role name rule)")
      .refine((s) => s.trim() === s, "must not begin or end with whitespace: trim it")
      // Elasticsearch allows "." and ".." (Validation.java in its x-pack core, security/support), but no URL can
      // address them: every URL parser resolves them as dot segments (provider/elastic/path-segment.ts).
      .refine(
        isPathSegment,
        'must not be "." or "..": no URL can address such a role (`/_security/role/.` is the list of every role); choose another name',
      )
      .refine(
        (s) => !RESERVED_ROLES.has(s) && !/^(fleet|machine_learning)_/.test(s),
        "is a reserved built-in role name: choose another name",
      )
      .describe(
        "The role name, unique in Elasticsearch. Renaming creates the new role first, then deletes the old one.",
      ),
    privileges: apmPrivileges(`must list at least one of ${APM_PRIVILEGES.join(", ")}`)
      .default([...APM_PRIVILEGES])
      .transform(sortedSet)
      .describe("The `apm` application privileges holders may grant to agent keys."),
    spaces: z
      .array(z.union([z.literal("*"), spaceId]))
      .min(1, 'must list at least one Kibana space id (or "*" for all spaces)')
      .default(["default"])
      .transform(sortedSet)
      .describe('Kibana spaces whose APM feature (`feature_apm.all`) the role grants; `"*"` for all spaces.'),
    cluster: z
      .array(z.string().min(1)) // a name this provider does not know is warned about at preview (cluster-privileges.ts)
      .default([])
      .transform((c) => sortedSet(c.filter((p) => p !== MANDATORY_CLUSTER)))
      .describe("Extra cluster privileges; `manage_own_api_key` is always included."),
    description: z.string().optional().describe("The role description (Elasticsearch 8.15+)."),
    metadata: markableMetadata.default({}).describe("Role metadata; keys must not start with `_`."),
    adoptExisting: z
      .boolean()
      .default(false)
      .describe("Take over a role that already exists with this name instead of failing."),
  })
  .strict();

export type ApmRoleInputs = z.infer<typeof apmRoleInputs>;

/** The role document the inputs describe (R1, R2), its metadata carrying the create's mark (R10). */
export function roleBody(inputs: ApmRoleInputs, mark: unknown): RoleWire {
  return {
    cluster: [MANDATORY_CLUSTER, ...inputs.cluster],
    indices: [],
    applications: [
      { application: "apm", privileges: inputs.privileges, resources: ["*"] },
      {
        application: KIBANA_APP,
        privileges: [APM_FEATURE],
        resources: inputs.spaces.map((s) => (s === "*" ? "*" : `space:${s}`)),
      },
    ],
    run_as: [],
    metadata: withMark(inputs.metadata, mark),
    ...(inputs.description !== undefined ? { description: inputs.description } : {}),
  };
}

/**
 * Reads a live role back into the input shape (R6). Anything the inputs cannot express (other applications,
 * index privileges, run_as, remote privileges, global privileges) is kept in `unmanaged`, so an out-of-band addition still shows as a diff.
 */
export function inputsFromRole(
  role: RoleWire,
): Pick<ApmRoleInputs, "privileges" | "spaces" | "cluster" | "description" | "metadata"> & { unmanaged?: unknown } {
  const apm = role.applications.filter((a) => a.application === "apm");
  const kibana = role.applications.filter((a) => a.application === KIBANA_APP && a.privileges.includes(APM_FEATURE));
  const others = role.applications.filter((a) => !apm.includes(a) && !kibana.includes(a));
  const unmanaged = {
    ...(others.length ? { applications: others } : {}),
    ...(role.indices?.length ? { indices: role.indices } : {}),
    ...(role.run_as?.length ? { run_as: role.run_as } : {}),
    ...(role.remote_indices?.length ? { remote_indices: role.remote_indices } : {}),
    ...(role.remote_cluster?.length ? { remote_cluster: role.remote_cluster } : {}),
    ...(role.global && Object.keys(role.global).length ? { global: role.global } : {}),
    ...(role.cluster.includes(MANDATORY_CLUSTER) ? {} : { missingCluster: MANDATORY_CLUSTER }),
    ...(apm.some((a) => !a.resources.includes("*")) ? { apmResources: apm.flatMap((a) => a.resources) } : {}),
    ...(kibana.some((a) => a.privileges.length > 1) ? { kibanaPrivileges: kibana.flatMap((a) => a.privileges) } : {}),
  };
  return {
    privileges: sortedSet(apm.flatMap((a) => a.privileges)) as ApmRoleInputs["privileges"],
    spaces: sortedSet(kibana.flatMap((a) => a.resources).map((r) => (r === "*" ? "*" : r.replace(/^space:/, "")))),
    cluster: sortedSet(role.cluster.filter((c) => c !== MANDATORY_CLUSTER)),
    description: role.description,
    metadata: withoutMark(role.metadata),
    ...(Object.keys(unmanaged).length ? { unmanaged } : {}),
  };
}
