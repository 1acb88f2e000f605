// Cluster privileges: which names a role may hold at a version (docs/elastic-api.md D.1), the actions each grants, and
// the lists quoted in 403 texts (0.2).
import { ALL_CLUSTER_PRIVILEGE_NAMES, clusterPrivilegeNames, indexPrivilegeNames } from "./es/builtin-privileges";
import { globMatch } from "./glob";

/** Every cluster privilege name some modelled version knows; each version's own list is in es/builtin-privileges.ts. */
export const CLUSTER_PRIVILEGE_NAMES: readonly string[] = ALL_CLUSTER_PRIVILEGE_NAMES;

const SECURITY = "cluster:admin/xpack/security";

export const ACTIONS = {
  main: "cluster:monitor/main",
  health: "cluster:monitor/health",
  userPut: `${SECURITY}/user/put`,
  userGet: `${SECURITY}/user/get`,
  userDelete: `${SECURITY}/user/delete`,
  rolePut: `${SECURITY}/role/put`,
  roleGet: `${SECURITY}/role/get`,
  roleDelete: `${SECURITY}/role/delete`,
  apiKeyCreate: `${SECURITY}/api_key/create`,
  apiKeyGet: `${SECURITY}/api_key/get`,
  apiKeyQuery: `${SECURITY}/api_key/query`,
  apiKeyInvalidate: `${SECURITY}/api_key/invalidate`,
  apiKeyUpdate: `${SECURITY}/api_key/update`,
  apiKeyBulkUpdate: `${SECURITY}/api_key/bulk_update`,
  crossClusterCreate: `${SECURITY}/cross_cluster/api_key/create`,
  crossClusterUpdate: `${SECURITY}/cross_cluster/api_key/update`,
  roleQuery: `${SECURITY}/role/query`,
  roleBulkPut: `${SECURITY}/role/bulk_put`,
  roleBulkDelete: `${SECURITY}/role/bulk_delete`,
  privilegePut: `${SECURITY}/privilege/put`,
  privilegeGet: `${SECURITY}/privilege/get`,
  privilegeDelete: `${SECURITY}/privilege/delete`,
  builtinPrivilegesGet: `${SECURITY}/privilege/builtin/get`,
} as const;

/** Action patterns each named privilege grants. manage_own_api_key is conditional (see grantsAction). */
const PRIVILEGE_ACTIONS: Record<string, string[]> = {
  all: ["cluster:*", "indices:*"],
  monitor: ["cluster:monitor/*"],
  manage: ["cluster:monitor/*", "cluster:admin/ingest/*", "cluster:admin/settings/*"],
  manage_security: [`${SECURITY}/*`, "cluster:monitor/xpack/security/*"],
  manage_api_key: [`${SECURITY}/api_key/*`],
  manage_own_api_key: [`${SECURITY}/api_key/*`],
  read_security: [
    `${SECURITY}/role/get`,
    `${SECURITY}/user/get`,
    `${SECURITY}/api_key/get`,
    `${SECURITY}/api_key/query`,
    `${SECURITY}/role/query`,
    `${SECURITY}/privilege/get`,
    `${SECURITY}/privilege/builtin/get`,
    `${SECURITY}/role_mapping/get`,
  ],
};

/** Named privileges that include other named privileges (for _has_privileges on names). */
const IMPLIES: Record<string, string[]> = {
  manage_security: [
    "manage_api_key",
    "manage_own_api_key",
    "read_security",
    "manage_service_account",
    "manage_user_profile",
    "manage_token",
    "grant_api_key",
    "manage_saml",
    "manage_oidc",
  ],
  manage_api_key: ["manage_own_api_key"],
  manage: [
    "monitor",
    "monitor_ml",
    "monitor_transform",
    "monitor_watcher",
    "monitor_rollup",
    "monitor_enrich",
    "monitor_snapshot",
    "monitor_inference",
  ],
};

/** The privilege lists quoted in 403 messages, per action. */
export const GRANTED_BY: Record<string, string[]> = {
  [ACTIONS.main]: ["monitor", "manage", "all"],
  [ACTIONS.health]: ["monitor", "manage", "all"],
  [ACTIONS.userPut]: ["manage_security", "all"],
  [ACTIONS.userGet]: ["read_security", "manage_security", "all"],
  [ACTIONS.userDelete]: ["manage_security", "all"],
  [ACTIONS.rolePut]: ["manage_security", "all"],
  [ACTIONS.roleGet]: ["read_security", "manage_security", "all"],
  [ACTIONS.roleDelete]: ["manage_security", "all"],
  [ACTIONS.apiKeyCreate]: ["manage_own_api_key", "manage_api_key", "manage_security", "all"],
  [ACTIONS.apiKeyGet]: ["manage_api_key", "read_security", "manage_security", "all"],
  [ACTIONS.apiKeyQuery]: ["manage_own_api_key", "manage_api_key", "read_security", "manage_security", "all"],
  [ACTIONS.apiKeyInvalidate]: ["manage_api_key", "manage_security", "all"],
  [ACTIONS.apiKeyUpdate]: ["manage_own_api_key", "manage_api_key", "manage_security", "all"],
  [ACTIONS.apiKeyBulkUpdate]: ["manage_own_api_key", "manage_api_key", "manage_security", "all"],
  [ACTIONS.crossClusterCreate]: ["manage_security", "all"],
  [ACTIONS.crossClusterUpdate]: ["manage_security", "all"],
  [ACTIONS.roleQuery]: ["read_security", "manage_security", "all"],
  [ACTIONS.roleBulkPut]: ["manage_security", "all"],
  [ACTIONS.roleBulkDelete]: ["manage_security", "all"],
  [ACTIONS.privilegePut]: ["manage_security", "all"],
  [ACTIONS.privilegeGet]: ["read_security", "manage_security", "all"],
  [ACTIONS.privilegeDelete]: ["manage_security", "all"],
  [ACTIONS.builtinPrivilegesGet]: ["read_security", "manage_security", "all"],
};

/**
 * A predefined name of the version, or a pattern over cluster actions: `ClusterPrivilegeResolver.java` (`resolve`
 * lower-cases the name; `ACTION_MATCHER` is `cluster:*`, `indices:admin/template/*`, `indices:admin/index_template/*`).
 */
export function isKnownClusterPrivilege(name: string, esVersion: string): boolean {
  const lower = name.toLowerCase();
  return (
    clusterPrivilegeNames(esVersion).includes(lower) || /^(cluster:|indices:admin\/(index_)?template\/)/.test(lower)
  );
}

export function isKnownIndexPrivilege(name: string, esVersion: string): boolean {
  return indexPrivilegeNames(esVersion).includes(name) || /^indices:[^\s]+$/.test(name);
}

/**
 * Whether a held cluster privilege (name or action pattern) grants an action. manage_own_api_key grants key
 * creation always and the other key actions only when the request is restricted to the caller's own keys.
 */
export function grantsAction(held: string, action: string, ownerScoped: boolean): boolean {
  if (held.includes(":")) return globMatch(held, action);
  if (
    held === "manage_own_api_key" &&
    action !== ACTIONS.apiKeyCreate &&
    action !== ACTIONS.apiKeyQuery &&
    !ownerScoped
  ) {
    return false;
  }
  return (PRIVILEGE_ACTIONS[held] ?? []).some((pattern) => globMatch(pattern, action));
}

/** Whether a held cluster privilege includes a requested named privilege (or action) for _has_privileges. */
export function grantsClusterPrivilege(held: string, requested: string): boolean {
  if (held === requested || held === "all") return true;
  if (requested.includes(":")) return grantsAction(held, requested, true);
  const seen = new Set<string>();
  const queue = [held];
  while (queue.length > 0) {
    const next = queue.pop() as string;
    if (next === requested) return true;
    if (seen.has(next)) continue;
    seen.add(next);
    queue.push(...(IMPLIES[next] ?? []));
  }
  return false;
}
