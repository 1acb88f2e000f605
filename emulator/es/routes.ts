// The Elasticsearch route table (emulator/README.md, What it serves). Each route is named by the API Elasticsearch's
// REST API specification gives its method and path (elastic/elasticsearch
// rest-api-spec/src/main/resources/rest-api-spec/api/<api>.json); test/conformance/es-route-table.test.ts checks that
// every specified path resolves to that API. Specified APIs that share a path shape with a served one, but that the
// emulator does not serve, are routed to a refusal that names them, so they are never taken for another API.
import { EsError } from "../errors";
import { Router } from "../router";
import { EsRoute, route } from "./context";
import { getAuthenticate } from "./authenticate";
import { postBulkUpdateApiKeys } from "./bulk-update-api-keys";
import { postCrossClusterApiKey, putCrossClusterApiKey } from "./cross-cluster-keys";
import { GET_API_KEY_PARAMS, getApiKeys } from "./get-api-keys";
import { postHasPrivileges } from "./has-privileges";
import { getClusterHealth, getInfo } from "./info";
import { deleteApiKeys } from "./invalidate-api-keys";
import { deletePrivileges, getBuiltinPrivileges, getPrivileges, putPrivileges } from "./privileges";
import { postQueryApiKeys } from "./query-api-keys";
import { postQueryRoles } from "./query-roles";
import { deleteBulkRoles, postBulkRoles } from "./roles-bulk";
import { postApiKey, putApiKeyUpdate } from "./rest-api-keys";
import { deleteRole, getRoles, putRole } from "./roles";
import { getUserPrivileges } from "./user-privileges";
import { deleteUser, getUsers, putUser } from "./users";

const HEALTH_PARAMS = [
  "expand_wildcards",
  "level",
  "local",
  "master_timeout",
  "timeout",
  "wait_for_active_shards",
  "wait_for_events",
  "wait_for_nodes",
  "wait_for_no_relocating_shards",
  "wait_for_no_initializing_shards",
  "wait_for_status",
];
const QUERY_KEY_PARAMS = ["with_limited_by", "with_profile_uid", "typed_keys"];
const refresh = ["refresh"];

/** A specified API the emulator does not serve: refused (501) once the caller is authenticated, naming the API. */
function notEmulated(api: string): EsRoute {
  return {
    api,
    notEmulated: true,
    params: [],
    handler: (ctx) => {
      throw new EsError(
        501,
        "emulator_not_implemented_exception",
        `${api} (${ctx.req.method} ${ctx.req.path}) is not emulated (emulator/README.md, Not emulated)`,
      );
    },
  };
}

export function registerEsRoutes(router: Router<EsRoute>): void {
  router
    .add("GET", "/", route("info", getInfo))
    .add("GET", "/_cluster/health", route("cluster.health", getClusterHealth, HEALTH_PARAMS))
    .add("GET", "/_cluster/health/{index}", notEmulated("cluster.health"))
    .add("GET", "/_security/_authenticate", route("security.authenticate", getAuthenticate))
    // Users
    .add("GET", "/_security/user", route("security.get_user", getUsers, ["with_profile_uid"]))
    .add("GET", "/_security/user/{name}", route("security.get_user", getUsers, ["with_profile_uid"]))
    .add("PUT", "/_security/user/{name}", route("security.put_user", putUser, refresh))
    .add("POST", "/_security/user/{name}", route("security.put_user", putUser, refresh))
    .add("DELETE", "/_security/user/{name}", route("security.delete_user", deleteUser, refresh))
    .add("GET", "/_security/user/_privileges", route("security.get_user_privileges", getUserPrivileges))
    .add("GET", "/_security/user/_has_privileges", route("security.has_privileges", postHasPrivileges))
    .add("POST", "/_security/user/_has_privileges", route("security.has_privileges", postHasPrivileges))
    .add("GET", "/_security/user/{name}/_has_privileges", route("security.has_privileges", postHasPrivileges))
    .add("POST", "/_security/user/{name}/_has_privileges", route("security.has_privileges", postHasPrivileges))
    .add("PUT", "/_security/user/_password", notEmulated("security.change_password"))
    .add("POST", "/_security/user/_password", notEmulated("security.change_password"))
    .add("PUT", "/_security/user/{name}/_password", notEmulated("security.change_password"))
    .add("POST", "/_security/user/{name}/_password", notEmulated("security.change_password"))
    .add("PUT", "/_security/user/{name}/_enable", notEmulated("security.enable_user"))
    .add("POST", "/_security/user/{name}/_enable", notEmulated("security.enable_user"))
    .add("PUT", "/_security/user/{name}/_disable", notEmulated("security.disable_user"))
    .add("POST", "/_security/user/{name}/_disable", notEmulated("security.disable_user"))
    .add("GET", "/_security/_query/user", notEmulated("security.query_user"))
    .add("POST", "/_security/_query/user", notEmulated("security.query_user"))
    // REST and cross-cluster API keys
    .add("POST", "/_security/api_key", route("security.create_api_key", postApiKey, refresh))
    .add("PUT", "/_security/api_key", route("security.create_api_key", postApiKey, refresh))
    .add("GET", "/_security/api_key", route("security.get_api_key", getApiKeys, GET_API_KEY_PARAMS))
    .add("DELETE", "/_security/api_key", route("security.invalidate_api_key", deleteApiKeys))
    .add("PUT", "/_security/api_key/{id}", route("security.update_api_key", putApiKeyUpdate))
    .add(
      "POST",
      "/_security/api_key/_bulk_update",
      route("security.bulk_update_api_keys", postBulkUpdateApiKeys, [], [8, 5]),
    )
    .add("POST", "/_security/api_key/grant", notEmulated("security.grant_api_key"))
    .add("POST", "/_security/api_key/{ids}/_clear_cache", notEmulated("security.clear_api_key_cache"))
    .add("GET", "/_security/_query/api_key", route("security.query_api_keys", postQueryApiKeys, QUERY_KEY_PARAMS))
    .add("POST", "/_security/_query/api_key", route("security.query_api_keys", postQueryApiKeys, QUERY_KEY_PARAMS))
    .add(
      "POST",
      "/_security/cross_cluster/api_key",
      route("security.create_cross_cluster_api_key", postCrossClusterApiKey),
    )
    .add(
      "PUT",
      "/_security/cross_cluster/api_key/{id}",
      route("security.update_cross_cluster_api_key", putCrossClusterApiKey),
    )
    // Roles
    .add("GET", "/_security/role", route("security.get_role", getRoles))
    .add("POST", "/_security/role", route("security.bulk_put_role", postBulkRoles, refresh, [8, 15]))
    .add("DELETE", "/_security/role", route("security.bulk_delete_role", deleteBulkRoles, refresh, [8, 15]))
    .add("GET", "/_security/_query/role", route("security.query_role", postQueryRoles, [], [8, 15]))
    .add("POST", "/_security/_query/role", route("security.query_role", postQueryRoles, [], [8, 15]))
    .add("GET", "/_security/role/{name}", route("security.get_role", getRoles))
    .add("PUT", "/_security/role/{name}", route("security.put_role", putRole, refresh))
    .add("POST", "/_security/role/{name}", route("security.put_role", putRole, refresh))
    .add("DELETE", "/_security/role/{name}", route("security.delete_role", deleteRole, refresh))
    .add("POST", "/_security/role/{name}/_clear_cache", notEmulated("security.clear_cached_roles"))
    // Application privileges
    .add("PUT", "/_security/privilege", route("security.put_privileges", putPrivileges, refresh))
    .add("POST", "/_security/privilege", route("security.put_privileges", putPrivileges, refresh))
    .add("GET", "/_security/privilege", route("security.get_privileges", getPrivileges))
    .add("GET", "/_security/privilege/_builtin", route("security.get_builtin_privileges", getBuiltinPrivileges))
    .add("GET", "/_security/privilege/{application}", route("security.get_privileges", getPrivileges))
    .add("GET", "/_security/privilege/{application}/{name}", route("security.get_privileges", getPrivileges))
    .add(
      "DELETE",
      "/_security/privilege/{application}/{name}",
      route("security.delete_privileges", deletePrivileges, refresh),
    )
    .add("POST", "/_security/privilege/{application}/_clear_cache", notEmulated("security.clear_cached_privileges"));
}
