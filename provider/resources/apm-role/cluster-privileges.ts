// The cluster privileges Elasticsearch 8.14 to 9.x accept in a role (docs/elastic-api.md D.1): the predefined names, or
// a pattern over cluster action names. A name outside both is only warned about at preview, naming the closest known
// names: a newer Elasticsearch may know it, and Elasticsearch decides at `up` (test/unit/apm-role.test.ts keeps this
// list and the emulator's equal).
export const CLUSTER_PRIVILEGE_NAMES: readonly string[] = [
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
  "manage_connector",
  "manage_data_frame_transforms",
  "manage_data_stream_global_retention",
  "manage_enrich",
  "manage_esql",
  "manage_ilm",
  "manage_index_templates",
  "manage_inference",
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
  "monitor_connector",
  "monitor_data_frame_transforms",
  "monitor_data_stream_global_retention",
  "monitor_enrich",
  "monitor_esql",
  "monitor_inference",
  "monitor_ml",
  "monitor_rollup",
  "monitor_snapshot",
  "monitor_stats",
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
];

/**
 * Whether Elasticsearch takes `name` as a cluster privilege whatever its version: a predefined name, or an action
 * pattern (`ClusterPrivilegeResolver.java`, `resolve` and `ACTION_MATCHER`: names are lower-cased, and an action
 * pattern begins `cluster:`, `indices:admin/template/` or `indices:admin/index_template/`).
 */
export function isKnownClusterPrivilege(name: string): boolean {
  const lower = name.toLowerCase();
  return CLUSTER_PRIVILEGE_NAMES.includes(lower) || /^(cluster:|indices:admin\/(index_)?template\/)/.test(lower);
}

/** The preview warning for each cluster privilege this provider does not know, naming the closest known names. */
export function unknownClusterPrivilegeWarnings(cluster: readonly string[]): string[] {
  return cluster
    .filter((name) => !isKnownClusterPrivilege(name))
    .map((name) => {
      const near = closestNames(name.toLowerCase());
      return (
        `cluster privilege "${name}" is not one Elasticsearch 8.14 to 9.x knows` +
        (near.length ? ` (did you mean ${near.map((n) => `"${n}"`).join(" or ")}?)` : "") +
        "; a newer Elasticsearch may know it, and it decides at `up` (its refusal writes nothing)"
      );
    });
}

/** Up to three known names within a few edits of `name`, closest first. */
function closestNames(name: string): string[] {
  const limit = Math.max(2, Math.floor(name.length / 3));
  return CLUSTER_PRIVILEGE_NAMES.map((known) => ({ known, d: editDistance(name, known) }))
    .filter(({ d }) => d <= limit)
    .sort((a, b) => a.d - b.d || a.known.localeCompare(b.known))
    .slice(0, 3)
    .map(({ known }) => known);
}

/** Levenshtein distance. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}
