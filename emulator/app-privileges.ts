// Application privileges (reference D.1, E.4). Kibana registers named privileges for its application
// ("kibana-.kibana"); a requested action is granted by a role entry that names it, matches it with a wildcard,
// or names a registered privilege containing it.
import { globMatch } from "./glob";
import { ApplicationPrivilegeEntry } from "./model";

export const KIBANA_APPLICATION = "kibana-.kibana";

const FLEET_ALL = [
  "api:fleet-agents-all",
  "api:fleet-agents-read",
  "api:fleet-agent-policies-all",
  "api:fleet-agent-policies-read",
  "api:fleet-settings-all",
  "api:fleet-settings-read",
  "api:fleet-setup",
  "app:fleet",
  "ui:fleetv2/*",
];
const FLEET_READ = [
  "api:fleet-agents-read",
  "api:fleet-agent-policies-read",
  "api:fleet-settings-read",
  "api:fleet-setup",
  "app:fleet",
];

/** Registered Kibana privileges: name → the actions it contains (only what the emulated routes check). */
const KIBANA_REGISTRY: Record<string, string[]> = {
  all: ["*"],
  read: ["login:", "ui:*", "api:apm", "api:fleet-agents-read", "api:fleet-agent-policies-read", "api:fleet-setup"],
  space_all: ["login:", "api:*", "ui:*", "app:*", "saved_object:*"],
  space_read: [
    "login:",
    "ui:*",
    "api:apm",
    "api:fleet-agents-read",
    "api:fleet-agent-policies-read",
    "api:fleet-setup",
  ],
  "feature_apm.all": ["login:", "api:apm", "api:apm_settings_write", "app:apm", "ui:apm/*"],
  "feature_apm.read": ["login:", "api:apm", "app:apm", "ui:apm/show"],
  "feature_apm.minimal_all": ["login:", "api:apm", "api:apm_settings_write", "app:apm"],
  "feature_fleetv2.all": ["login:", ...FLEET_ALL],
  "feature_fleetv2.minimal_all": ["login:", ...FLEET_ALL],
  "feature_fleetv2.read": ["login:", ...FLEET_READ],
  "feature_fleet.all": ["login:", "api:integrations-all", "api:integrations-read", "app:integrations"],
  "feature_fleet.read": ["login:", "api:integrations-read", "app:integrations"],
};

function registeredActions(application: string, privilege: string): string[] | undefined {
  return application === KIBANA_APPLICATION ? KIBANA_REGISTRY[privilege] : undefined;
}

/** Whether a held application privilege grants a requested privilege name or action. */
export function heldGrants(application: string, held: string, requested: string): boolean {
  if (held === requested || held === "*") return true;
  const heldActions = registeredActions(application, held) ?? [held];
  const requestedActions = registeredActions(application, requested) ?? [requested];
  return requestedActions.every((action) => heldActions.some((pattern) => globMatch(pattern, action)));
}

/** Whether any of the entries grants `requested` for `application` on `resource`. */
export function entriesGrant(
  entries: ApplicationPrivilegeEntry[],
  application: string,
  requested: string,
  resource: string,
): boolean {
  return entries.some(
    (entry) =>
      globMatch(entry.application, application) &&
      entry.resources.some((r) => globMatch(r, resource)) &&
      entry.privileges.some((held) => heldGrants(application, held, requested)),
  );
}
