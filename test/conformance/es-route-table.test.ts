// Every path the emulated Elasticsearch serves, checked against the REST API specification: each method and path
// pattern of elastic/elasticsearch rest-api-spec/src/main/resources/rest-api-spec/api/<api>.json that shares a prefix
// with a served route resolves to the API the specification names, including the `_`-names that could be taken for
// a user, role, key or application name (`_privileges`, `_has_privileges`, `_password`, `_builtin`, `_bulk_update`,
// `_clear_cache`, `grant`…). A shadowed route — one answered by another API's handler — fails here.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { EsRoute } from "../../emulator/es/context";
import { registerEsRoutes } from "../../emulator/es/routes";
import { Router } from "../../emulator/router";
import { Harness, TEST_PASSWORD, startHarness, userWithRole } from "../support/conformance";

/** The specification, as data: method, a concrete path for each pattern (parameters filled in), the API name. */
const SPEC: [method: string, path: string, api: string][] = [
  ["GET", "/", "info"],
  ["GET", "/_cluster/health", "cluster.health"],
  ["GET", "/_cluster/health/logs", "cluster.health"],
  ["GET", "/_security/_authenticate", "security.authenticate"],
  ["GET", "/_security/user", "security.get_user"],
  ["GET", "/_security/user/jacknich", "security.get_user"],
  ["PUT", "/_security/user/jacknich", "security.put_user"],
  ["POST", "/_security/user/jacknich", "security.put_user"],
  ["DELETE", "/_security/user/jacknich", "security.delete_user"],
  ["GET", "/_security/user/_privileges", "security.get_user_privileges"],
  ["GET", "/_security/user/_has_privileges", "security.has_privileges"],
  ["POST", "/_security/user/_has_privileges", "security.has_privileges"],
  ["GET", "/_security/user/jacknich/_has_privileges", "security.has_privileges"],
  ["POST", "/_security/user/jacknich/_has_privileges", "security.has_privileges"],
  ["PUT", "/_security/user/_password", "security.change_password"],
  ["POST", "/_security/user/_password", "security.change_password"],
  ["PUT", "/_security/user/jacknich/_password", "security.change_password"],
  ["POST", "/_security/user/jacknich/_password", "security.change_password"],
  ["PUT", "/_security/user/jacknich/_enable", "security.enable_user"],
  ["POST", "/_security/user/jacknich/_enable", "security.enable_user"],
  ["PUT", "/_security/user/jacknich/_disable", "security.disable_user"],
  ["POST", "/_security/user/jacknich/_disable", "security.disable_user"],
  ["GET", "/_security/_query/user", "security.query_user"],
  ["POST", "/_security/_query/user", "security.query_user"],
  ["PUT", "/_security/api_key", "security.create_api_key"],
  ["POST", "/_security/api_key", "security.create_api_key"],
  ["GET", "/_security/api_key", "security.get_api_key"],
  ["DELETE", "/_security/api_key", "security.invalidate_api_key"],
  ["PUT", "/_security/api_key/VuaCfGcBCdbkQm-e5aOx", "security.update_api_key"],
  ["POST", "/_security/api_key/_bulk_update", "security.bulk_update_api_keys"],
  ["POST", "/_security/api_key/grant", "security.grant_api_key"],
  ["POST", "/_security/api_key/VuaCfGcBCdbkQm-e5aOx/_clear_cache", "security.clear_api_key_cache"],
  ["GET", "/_security/_query/api_key", "security.query_api_keys"],
  ["POST", "/_security/_query/api_key", "security.query_api_keys"],
  ["POST", "/_security/cross_cluster/api_key", "security.create_cross_cluster_api_key"],
  ["PUT", "/_security/cross_cluster/api_key/VuaCfGcBCdbkQm-e5aOx", "security.update_cross_cluster_api_key"],
  ["GET", "/_security/role", "security.get_role"],
  ["GET", "/_security/role/my_admin_role", "security.get_role"],
  ["PUT", "/_security/role/my_admin_role", "security.put_role"],
  ["POST", "/_security/role/my_admin_role", "security.put_role"],
  ["DELETE", "/_security/role/my_admin_role", "security.delete_role"],
  ["POST", "/_security/role", "security.bulk_put_role"],
  ["DELETE", "/_security/role", "security.bulk_delete_role"],
  ["POST", "/_security/role/my_admin_role/_clear_cache", "security.clear_cached_roles"],
  ["GET", "/_security/_query/role", "security.query_role"],
  ["POST", "/_security/_query/role", "security.query_role"],
  ["PUT", "/_security/privilege", "security.put_privileges"],
  ["POST", "/_security/privilege", "security.put_privileges"],
  ["GET", "/_security/privilege", "security.get_privileges"],
  ["GET", "/_security/privilege/myapp", "security.get_privileges"],
  ["GET", "/_security/privilege/myapp/read", "security.get_privileges"],
  ["DELETE", "/_security/privilege/myapp/read", "security.delete_privileges"],
  ["GET", "/_security/privilege/_builtin", "security.get_builtin_privileges"],
  ["POST", "/_security/privilege/myapp/_clear_cache", "security.clear_cached_privileges"],
];

/** Method and path combinations the specification leaves to a {param}: what Elasticsearch resolves them to. */
const FALLTHROUGH: [method: string, path: string, api: string][] = [
  // `_privileges` has only GET; a PUT is a put_user call for a user named "_privileges" (ES then refuses the name).
  ["PUT", "/_security/user/_privileges", "security.put_user"],
  ["DELETE", "/_security/user/_has_privileges", "security.delete_user"],
  ["PUT", "/_security/api_key/_bulk_update", "security.update_api_key"],
  ["PUT", "/_security/api_key/grant", "security.update_api_key"],
  ["PUT", "/_security/role/_clear_cache", "security.put_role"],
  ["DELETE", "/_security/privilege/myapp/_clear_cache", "security.delete_privileges"],
];

function resolve(method: string, path: string): string | undefined {
  const router = new Router<EsRoute>();
  registerEsRoutes(router);
  const match = router.match(method, path);
  return match.kind === "found" ? match.handler.api : undefined;
}

describe("the route table follows the REST API specification", () => {
  test.each(SPEC)("%s %s is %s", (method, path, api) => {
    expect(resolve(method, path)).toBe(api);
  });

  test.each(FALLTHROUGH)("%s %s falls through to %s", (method, path, api) => {
    expect(resolve(method, path)).toBe(api);
  });
});

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ esVersion: "9.1.0" });
});
afterAll(() => h.emulator.stop());

describe("GET /_security/user/_privileges", () => {
  test("any authenticated user gets its own privileges, not a user named _privileges", async () => {
    const user = await userWithRole(h, "test-1", {
      cluster: ["monitor"],
      indices: [
        { names: ["test-1-*"], privileges: ["read"] },
        {
          names: ["test-2-*"],
          privileges: ["read"],
          field_security: { grant: ["*"], except: ["secret-*"] },
          query: { term: { test: true } },
        },
      ],
      applications: [
        { application: "test-app", privileges: ["user"], resources: ["*"] },
        { application: "test-app", privileges: ["read"], resources: ["object/1"] },
      ],
      run_as: ["test-*"],
    });
    const r = await h.es.get("/_security/user/_privileges", { auth: user });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      cluster: ["monitor"],
      global: [],
      indices: [
        { names: ["test-1-*"], privileges: ["read"], allow_restricted_indices: false },
        {
          names: ["test-2-*"],
          privileges: ["read"],
          field_security: [{ grant: ["*"], except: ["secret-*"] }],
          query: ['{"term":{"test":true}}'],
          allow_restricted_indices: false,
        },
      ],
      applications: [
        { application: "test-app", privileges: ["user"], resources: ["*"] },
        { application: "test-app", privileges: ["read"], resources: ["object/1"] },
      ],
      run_as: ["test-*"],
    });
  });

  test("merged roles: sorted cluster and run_as, one global entry each, entries merged (40_get_user_privs.yml)", async () => {
    await h.es.put("/_security/role/r1", {
      cluster: ["monitor"],
      global: { application: { manage: { applications: ["test-*"] } } },
      indices: [{ names: ["test-2-*"], privileges: ["read"], query: { term: { test: true } } }],
      applications: [
        { application: "test-app", privileges: ["user"], resources: ["*"] },
        { application: "test-app", privileges: ["read"], resources: ["object/1"] },
      ],
      run_as: ["test-*"],
    });
    await h.es.put("/_security/role/r2", {
      cluster: ["manage", "manage_security"],
      global: { application: { manage: { applications: ["apps-*"] } } },
      indices: [{ names: ["test-2-*"], privileges: ["read"], query: { term: { apps: true } } }],
      applications: [
        { application: "test-app", privileges: ["dne"], resources: ["*"] },
        { application: "test-app", privileges: ["read"], resources: ["object/2"] },
      ],
      run_as: ["app-*"],
    });
    await h.es.put("/_security/user/test-3", { password: TEST_PASSWORD, roles: ["r1", "r2"] });
    const r = await h.es.get("/_security/user/_privileges", { auth: { username: "test-3", password: TEST_PASSWORD } });
    expect(r.body.cluster).toEqual(["manage", "manage_security", "monitor"]);
    expect(r.body.run_as).toEqual(["app-*", "test-*"]);
    expect(r.body.global).toEqual([
      { application: { manage: { applications: ["test-*"] } } },
      { application: { manage: { applications: ["apps-*"] } } },
    ]);
    expect(r.body.indices).toEqual([
      {
        names: ["test-2-*"],
        privileges: ["read"],
        query: ['{"term":{"test":true}}', '{"term":{"apps":true}}'],
        allow_restricted_indices: false,
      },
    ]);
    expect(r.body.applications).toEqual([
      { application: "test-app", privileges: ["user", "dne"], resources: ["*"] },
      { application: "test-app", privileges: ["read"], resources: ["object/1", "object/2"] },
    ]);
  });

  test("an API key with role descriptors of its own is refused; one without gets its owner's privileges", async () => {
    const user = await userWithRole(h, "keyowner", { cluster: ["manage_own_api_key"] });
    const scoped = await h.es.post(
      "/_security/api_key",
      { name: "scoped", role_descriptors: { r: { cluster: ["monitor"] } } },
      { auth: user },
    );
    const r = await h.es.get("/_security/user/_privileges", { auth: { apiKey: String(scoped.body.encoded) } });
    expect(r.status).toBe(400);
    expect(r.body.error.type).toBe("illegal_argument_exception");
    expect(r.body.error.reason).toBe(
      "Cannot retrieve privileges for API keys with assigned role descriptors. Please use the Get API key information API https://ela.st/es-api-get-api-key",
    );
    const plain = await h.es.post("/_security/api_key", { name: "plain" }, { auth: user });
    const own = await h.es.get("/_security/user/_privileges", { auth: { apiKey: String(plain.body.encoded) } });
    expect(own.status).toBe(200);
    expect(own.body.cluster).toEqual(["manage_own_api_key"]);
  });

  test("no credentials: 401", async () => {
    expect((await h.es.get("/_security/user/_privileges", { auth: null })).status).toBe(401);
  });
});

describe("specified APIs the emulator does not serve", () => {
  test("are refused naming the API, never answered as another API", async () => {
    const r = await h.es.put("/_security/user/_password", { password: "new-password" });
    expect(r.status).toBe(501);
    expect(r.body.error.reason).toContain("security.change_password");
    expect((await h.es.get("/_security/user/_password")).status).toBe(404);
    const grant = await h.es.post("/_security/api_key/grant", { grant_type: "password" });
    expect(grant.status).toBe(501);
    expect(grant.body.error.reason).toContain("security.grant_api_key");
  });
});
