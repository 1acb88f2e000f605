// Built-in roles the emulator seeds. GET /_security/role returns them with metadata._reserved (docs/elastic-api.md D.2)
// and PUT/DELETE refuse their names (D.1, D.3). Only the privileges the emulated APIs look at are spelled out.
import { ApplicationPrivilegeEntry, RoleDescriptor } from "./model";

function reserved(
  cluster: string[],
  applications: ApplicationPrivilegeEntry[] = [],
  indices: RoleDescriptor["indices"] = [],
): RoleDescriptor {
  return {
    cluster,
    indices,
    applications,
    run_as: [],
    metadata: { _reserved: true },
    transient_metadata: { enabled: true },
  };
}

const kibanaApp = "kibana-.kibana";

export const RESERVED_ROLES: Record<string, RoleDescriptor> = {
  superuser: {
    ...reserved(
      ["all"],
      [{ application: "*", privileges: ["*"], resources: ["*"] }],
      [{ names: ["*"], privileges: ["all"], allow_restricted_indices: true }],
    ),
    run_as: ["*"],
  },
  kibana_system: reserved([
    "monitor",
    "manage_index_templates",
    "manage_saml",
    "manage_token",
    "manage_oidc",
    "manage_pipeline",
    "manage_ilm",
    "manage_transform",
    "cluster:admin/xpack/security/api_key/invalidate",
    "grant_api_key",
    "manage_own_api_key",
    "delegate_pki",
    "cancel_task",
  ]),
  kibana_admin: reserved([], [{ application: kibanaApp, privileges: ["all"], resources: ["*"] }]),
  kibana_user: reserved([], [{ application: kibanaApp, privileges: ["all"], resources: ["*"] }]),
  apm_system: reserved(["monitor", "cluster:admin/xpack/monitoring/bulk"]),
  apm_user: reserved(
    [],
    [],
    [
      {
        names: ["apm-*", "logs-apm*", "metrics-apm*", "traces-apm*"],
        privileges: ["read", "view_index_metadata"],
        allow_restricted_indices: false,
      },
    ],
  ),
  beats_system: reserved(["monitor", "cluster:admin/xpack/monitoring/bulk"]),
  beats_admin: reserved([]),
  logstash_system: reserved(["monitor", "cluster:admin/xpack/monitoring/bulk"]),
  logstash_admin: reserved(["manage_logstash_pipelines"]),
  editor: reserved(
    [],
    [
      {
        application: kibanaApp,
        privileges: ["feature_discover.all", "feature_dashboard.all", "feature_apm.all", "feature_fleetv2.all"],
        resources: ["*"],
      },
    ],
  ),
  viewer: reserved([], [{ application: kibanaApp, privileges: ["read"], resources: ["*"] }]),
  monitoring_user: reserved([]),
  remote_monitoring_agent: reserved(["manage_index_templates", "manage_ingest_pipelines", "monitor"]),
  remote_monitoring_collector: reserved(["monitor"]),
  ingest_admin: reserved(["manage_index_templates", "manage_pipeline"]),
  machine_learning_admin: reserved(["manage_ml"]),
  machine_learning_user: reserved(["monitor_ml"]),
  transform_admin: reserved(["manage_transform"]),
  transform_user: reserved(["monitor_transform"]),
  watcher_admin: reserved(["manage_watcher"]),
  watcher_user: reserved(["monitor_watcher"]),
  snapshot_user: reserved(["create_snapshot", "monitor_snapshot"]),
  enrich_user: reserved(["manage_enrich", "manage_ingest_pipelines", "monitor"]),
  rollup_admin: reserved(["manage_rollup"]),
  rollup_user: reserved(["monitor_rollup"]),
  reporting_user: reserved([]),
  transport_client: reserved(["transport_client"]),
  data_frame_transforms_admin: reserved(["manage_data_frame_transforms"]),
  data_frame_transforms_user: reserved(["monitor_data_frame_transforms"]),
  inference_admin: reserved(["manage_inference"]),
  inference_user: reserved(["monitor_inference"]),
};
