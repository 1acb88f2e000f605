// The predefined privilege names of each Elasticsearch version: what GET /_security/privilege/_builtin lists
// (TransportGetBuiltinPrivilegesAction: ClusterPrivilegeResolver.names(), IndexPrivilege.names() and
// RemoteClusterPermissions' supported privileges, each sorted) and what a role may name. Names without a tag predate
// 8.14, the oldest modelled version (emulator/README.md, Versions). Upstream, in elastic/elasticsearch:
// x-pack/plugin/core/src/main/java/org/elasticsearch/xpack/core/security/authz/privilege/ClusterPrivilegeResolver.java,
// IndexPrivilege.java and ../permission/RemoteClusterPermissions.java; the versions come from the pull requests
// cited beside each name (their labels, backports and the privileges/11_builtin.yml counts they changed).
import { Since, holdsAt } from "../versions";

interface Tagged {
  name: string;
  /** The first version listing it; one entry per major when a major line got it at a different minor. */
  since?: Since | readonly Since[];
}

const CLUSTER: readonly Tagged[] = [
  ...[
    "all",
    "cancel_task",
    "create_snapshot",
    "cross_cluster_replication",
    "cross_cluster_search",
    "delegate_pki",
    "grant_api_key",
    "manage",
    "manage_api_key",
    "manage_autoscaling",
    "manage_behavioral_analytics",
    "manage_ccr",
    "manage_data_frame_transforms",
    "manage_enrich",
    "manage_ilm",
    "manage_index_templates",
    "manage_ingest_pipelines",
    "manage_logstash_pipelines",
    "manage_ml",
    "manage_oidc",
    "manage_own_api_key",
    "manage_pipeline",
    "manage_rollup",
    "manage_saml",
    "manage_search_application",
    "manage_search_query_rules",
    "manage_search_synonyms",
    "manage_security",
    "manage_service_account",
    "manage_slm",
    "manage_token",
    "manage_transform",
    "manage_user_profile",
    "manage_watcher",
    "monitor",
    "monitor_data_frame_transforms",
    "monitor_enrich",
    "monitor_ml",
    "monitor_rollup",
    "monitor_snapshot",
    "monitor_text_structure",
    "monitor_transform",
    "monitor_watcher",
    "none",
    "post_behavioral_analytics_event",
    "read_ccr",
    "read_connector_secrets",
    "read_fleet_secrets",
    "read_ilm",
    "read_pipeline",
    "read_security",
    "read_slm",
    "transport_client",
    "write_connector_secrets",
    "write_fleet_secrets",
  ].map((name) => ({ name })),
  // elastic/elasticsearch#106371 (inference_admin/inference_user roles; docs backported to 8.14 in #108572).
  { name: "manage_inference", since: [8, 14] },
  { name: "monitor_inference", since: [8, 14] },
  // elastic/elasticsearch#105682 (data stream global retention APIs, March 2024).
  { name: "manage_data_stream_global_retention", since: [8, 14] },
  { name: "monitor_data_stream_global_retention", since: [8, 14] },
  // elastic/elasticsearch#110128 (June 2024, with the remote_cluster privileges in the docs' builtin example).
  { name: "manage_connector", since: [8, 15] },
  { name: "monitor_connector", since: [8, 15] },
  // elastic/elasticsearch-specification: `@availability stack since=8.17.0`.
  { name: "monitor_stats", since: [8, 17] },
  // elastic/elasticsearch#124832 (ES|QL query monitoring, April 2025; not on the 8.19 branch).
  { name: "manage_esql", since: [9, 1] },
  { name: "monitor_esql", since: [9, 1] },
];

const INDEX: readonly Tagged[] = [
  ...[
    "all",
    "auto_configure",
    "create",
    "create_doc",
    "create_index",
    "cross_cluster_replication",
    "cross_cluster_replication_internal",
    "delete",
    "delete_index",
    "index",
    "maintenance",
    "manage",
    "manage_data_stream_lifecycle",
    "manage_follow_index",
    "manage_ilm",
    "manage_leader_index",
    "monitor",
    "none",
    "read",
    "read_cross_cluster",
    "view_index_metadata",
    "write",
  ].map((name) => ({ name })),
  // elastic/elasticsearch#125852 (11_builtin.yml: 22 → 24 index privileges), backported to 8.19 in #126019; the
  // failure store was behind a feature flag until then, so 8.18 and 9.0 list neither.
  {
    name: "read_failure_store",
    since: [
      [8, 19],
      [9, 1],
    ],
  },
  {
    name: "manage_failure_store",
    since: [
      [8, 19],
      [9, 1],
    ],
  },
];

const REMOTE_CLUSTER: readonly Tagged[] = [
  // elastic/elasticsearch#107493 (remote_cluster in roles and API keys; ES|QL ENRICH across clusters is 8.15).
  { name: "monitor_enrich", since: [8, 15] },
  // elastic/elasticsearch-specification RemoteClusterPrivilege: `@availability stack since=8.17.0`.
  { name: "monitor_stats", since: [8, 17] },
];

function listedAt(version: string, tagged: Tagged): boolean {
  const { since } = tagged;
  if (since === undefined) return true;
  if (typeof since[0] === "number") return holdsAt(version, since as Since);
  const lines = since as readonly Since[];
  const major = parseInt(version, 10);
  const line = lines.find(([m]) => m === major);
  if (line) return holdsAt(version, line);
  return major > Math.max(...lines.map(([m]) => m));
}

const namesAt = (version: string, list: readonly Tagged[]): string[] =>
  list
    .filter((t) => listedAt(version, t))
    .map((t) => t.name)
    .sort();

export const clusterPrivilegeNames = (esVersion: string): string[] => namesAt(esVersion, CLUSTER);
export const indexPrivilegeNames = (esVersion: string): string[] => namesAt(esVersion, INDEX);
export const remoteClusterPrivilegeNames = (esVersion: string): string[] => namesAt(esVersion, REMOTE_CLUSTER);

/** Every cluster privilege name some modelled version knows (for the provider's list of known names). */
export const ALL_CLUSTER_PRIVILEGE_NAMES: readonly string[] = CLUSTER.map((t) => t.name).sort();
