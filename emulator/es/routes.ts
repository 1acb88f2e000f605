// The Elasticsearch route table (emulator/README.md, What it serves).
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
import { deleteUser, getUsers, putUser } from "./users";

export function registerEsRoutes(router: Router<EsRoute>): void {
  const refresh = ["refresh"];
  router
    .add("GET", "/", route(getInfo))
    .add(
      "GET",
      "/_cluster/health",
      route(getClusterHealth, [
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
      ]),
    )
    .add("GET", "/_security/_authenticate", route(getAuthenticate))
    .add("GET", "/_security/user", route(getUsers))
    .add("GET", "/_security/user/{name}", route(getUsers))
    .add("PUT", "/_security/user/{name}", route(putUser, refresh))
    .add("POST", "/_security/user/{name}", route(putUser, refresh))
    .add("DELETE", "/_security/user/{name}", route(deleteUser, refresh))
    .add("GET", "/_security/user/_has_privileges", route(postHasPrivileges))
    .add("POST", "/_security/user/_has_privileges", route(postHasPrivileges))
    .add("GET", "/_security/user/{name}/_has_privileges", route(postHasPrivileges))
    .add("POST", "/_security/user/{name}/_has_privileges", route(postHasPrivileges))
    .add("POST", "/_security/api_key", route(postApiKey, refresh))
    .add("PUT", "/_security/api_key", route(postApiKey, refresh))
    .add("GET", "/_security/api_key", route(getApiKeys, GET_API_KEY_PARAMS))
    .add("DELETE", "/_security/api_key", route(deleteApiKeys))
    .add("PUT", "/_security/api_key/{id}", route(putApiKeyUpdate))
    .add("POST", "/_security/api_key/_bulk_update", route(postBulkUpdateApiKeys, [], [8, 5]))
    .add(
      "GET",
      "/_security/_query/api_key",
      route(postQueryApiKeys, ["with_limited_by", "with_profile_uid", "typed_keys"]),
    )
    .add(
      "POST",
      "/_security/_query/api_key",
      route(postQueryApiKeys, ["with_limited_by", "with_profile_uid", "typed_keys"]),
    )
    .add("POST", "/_security/cross_cluster/api_key", route(postCrossClusterApiKey))
    .add("PUT", "/_security/cross_cluster/api_key/{id}", route(putCrossClusterApiKey))
    .add("GET", "/_security/role", route(getRoles))
    .add("POST", "/_security/role", route(postBulkRoles, refresh, [8, 15]))
    .add("DELETE", "/_security/role", route(deleteBulkRoles, refresh, [8, 15]))
    .add("GET", "/_security/_query/role", route(postQueryRoles, [], [8, 15]))
    .add("POST", "/_security/_query/role", route(postQueryRoles, [], [8, 15]))
    .add("GET", "/_security/role/{name}", route(getRoles))
    .add("PUT", "/_security/role/{name}", route(putRole, refresh))
    .add("POST", "/_security/role/{name}", route(putRole, refresh))
    .add("DELETE", "/_security/role/{name}", route(deleteRole, refresh))
    .add("PUT", "/_security/privilege", route(putPrivileges, refresh))
    .add("POST", "/_security/privilege", route(putPrivileges, refresh))
    .add("GET", "/_security/privilege", route(getPrivileges))
    .add("GET", "/_security/privilege/_builtin", route(getBuiltinPrivileges))
    .add("GET", "/_security/privilege/{application}", route(getPrivileges))
    .add("GET", "/_security/privilege/{application}/{name}", route(getPrivileges))
    .add("DELETE", "/_security/privilege/{application}/{name}", route(deletePrivileges, refresh));
}
