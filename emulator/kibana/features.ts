// The Kibana features whose privileges the emulated routes check, as each Kibana version registers them. Only the
// `api:` actions are kept (no emulated route checks `app:`, `ui:` or saved-object actions), with the version that
// introduced each shape:
// - Fleet (`fleetv2`) and Integrations (`fleet`): elastic/kibana x-pack/platform/plugins/shared/fleet/server/plugin.ts
//   (before 9.0: x-pack/plugins/fleet/server/plugin.ts). The Agents, Agent policies and Settings sub-features came in
//   8.14 behind the `subfeaturePrivileges` experimental flag, off by default (elastic/kibana#178006, #178346); 8.18
//   turned the flag on (elastic/kibana#203182, labelled for 8.18 and 9.0). The reserved `fleet-setup` privilege
//   (for the fleet-server service account) is excluded from base privileges.
// - APM (`apm`): x-pack/solutions/observability/plugins/apm/server/feature.ts (before 9.0:
//   x-pack/plugins/observability_solution/apm/server/feature.ts). The Settings sub-feature (`settings_save`, API
//   privilege `apm_settings_write`) came with elastic/kibana#194419, merged in October 2024 after the 8.16 branch was
//   cut: the emulator applies it from 8.17 (the first release is inferred from that date, not read from a tag).
import { versionAtLeast } from "../versions";

export interface SubFeaturePrivilege {
  id: string;
  api: string[];
  /** Which primary privileges include it: `read` ones go into both `all` and `read` (feature_privilege_iterator.ts). */
  includeIn: "all" | "read" | "none";
}

export interface KibanaFeature {
  id: string;
  all: string[];
  read: string[];
  subFeatures: SubFeaturePrivilege[];
  /** Registered as `reserved_<id>`, never part of a base privilege. */
  reserved: { id: string; api: string[] }[];
}

const FLEET_SUB_FEATURES: SubFeaturePrivilege[] = [
  { id: "agents_all", api: ["fleet-agents-read", "fleet-agents-all"], includeIn: "all" },
  { id: "agents_read", api: ["fleet-agents-read"], includeIn: "read" },
  { id: "agent_policies_all", api: ["fleet-agent-policies-read", "fleet-agent-policies-all"], includeIn: "all" },
  { id: "agent_policies_read", api: ["fleet-agent-policies-read"], includeIn: "read" },
  { id: "settings_all", api: ["fleet-settings-read", "fleet-settings-all"], includeIn: "all" },
  { id: "settings_read", api: ["fleet-settings-read"], includeIn: "read" },
];

/** Whether Fleet's sub-feature privileges are on (the `subfeaturePrivileges` flag's default). */
export function fleetSubFeaturesOn(kibanaVersion: string): boolean {
  return versionAtLeast(kibanaVersion, 8, 18);
}

/** Whether APM has its Settings sub-feature, which moved agent keys from `apm_write` to `apm_settings_write`. */
export function apmSettingsSubFeature(kibanaVersion: string): boolean {
  return versionAtLeast(kibanaVersion, 8, 17);
}

export function kibanaFeatures(kibanaVersion: string): KibanaFeature[] {
  return [
    {
      id: "fleetv2",
      all: ["fleet-read", "fleet-all"],
      read: ["fleet-read"],
      subFeatures: fleetSubFeaturesOn(kibanaVersion) ? FLEET_SUB_FEATURES : [],
      reserved: [{ id: "fleet-setup", api: ["fleet-setup"] }],
    },
    {
      id: "fleet",
      all: ["integrations-read", "integrations-all"],
      read: ["integrations-read"],
      subFeatures: [],
      reserved: [],
    },
    {
      id: "apm",
      all: ["apm", "apm_write", "rac"],
      read: ["apm", "rac"],
      subFeatures: apmSettingsSubFeature(kibanaVersion)
        ? [{ id: "settings_save", api: ["apm_settings_write"], includeIn: "all" }]
        : [],
      reserved: [],
    },
  ];
}
