// Roles and privilege checks (docs/elastic-api.md D.1–D.3, E.4; upstream roles/10_basic.yml, 20_get_missing.yml,
// privileges/10_basic.yml, api_key/10_basic.yml has_privileges, ported).
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { APM_AGENT_KEY_ROLE, Harness, startHarness, userWithRole } from "../support/conformance";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
beforeEach(() => h.emulator.admin.reset());
afterAll(() => h.emulator.stop());

describe("roles", () => {
  test("PUT answers created:true then created:false, and is a full replace", async () => {
    const first = await h.es.put("/_security/role/admin_role", {
      cluster: ["all"],
      metadata: { key1: "val1" },
      indices: [{ names: "*", privileges: ["all"] }],
    });
    expect(first.body).toEqual({ role: { created: true } });
    const second = await h.es.post("/_security/role/admin_role", { cluster: ["monitor"] });
    expect(second.body).toEqual({ role: { created: false } });
    const got = await h.es.get("/_security/role/admin_role");
    expect(got.body.admin_role).toEqual({
      cluster: ["monitor"],
      indices: [],
      applications: [],
      run_as: [],
      metadata: {},
      transient_metadata: { enabled: true },
    });
  });

  test("GET returns every field, index names as arrays, queries as strings", async () => {
    await h.es.put("/_security/role/apm_agent_key_creator", {
      ...APM_AGENT_KEY_ROLE,
      indices: [{ names: "logs-*", privileges: ["read"], query: { term: { a: 1 } } }],
      description: "creates agent keys",
    });
    const role = (await h.es.get("/_security/role/apm_agent_key_creator")).body.apm_agent_key_creator;
    expect(role.cluster).toEqual(["manage_own_api_key"]);
    expect(role.applications).toEqual(APM_AGENT_KEY_ROLE.applications);
    expect(role.indices).toEqual([
      { names: ["logs-*"], privileges: ["read"], query: '{"term":{"a":1}}', allow_restricted_indices: false },
    ]);
    expect(role.description).toBe("creates agent keys");
    expect(role.transient_metadata).toEqual({ enabled: true });
  });

  test("the index and application aliases are accepted", async () => {
    const r = await h.es.put("/_security/role/aliases", {
      index: [{ names: ["a"], privileges: ["read"] }],
      application: [{ application: "apm", privileges: ["event:write"], resources: ["*"] }],
    });
    expect(r.status).toBe(200);
    const role = (await h.es.get("/_security/role/aliases")).body.aliases;
    expect(role.indices.length).toBe(1);
    expect(role.applications.length).toBe(1);
  });

  test("a missing role is 404 with {}; in a list, missing names are left out", async () => {
    const missing = await h.es.get("/_security/role/does_not_exist");
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({});
    await h.es.put("/_security/role/exists", { cluster: [] });
    const list = await h.es.get("/_security/role/exists,does_not_exist");
    expect(list.status).toBe(200);
    expect(Object.keys(list.body)).toEqual(["exists"]);
  });

  test("GET without a name includes reserved roles flagged _reserved", async () => {
    const all = await h.es.get("/_security/role");
    for (const name of ["superuser", "kibana_system", "kibana_admin", "apm_system", "editor", "viewer"]) {
      expect(all.body[name].metadata._reserved).toBe(true);
    }
  });

  test("DELETE is hard: found:true, then 404 found:false", async () => {
    await h.es.put("/_security/role/temp", { cluster: [] });
    expect((await h.es.delete("/_security/role/temp")).body).toEqual({ found: true });
    const again = await h.es.delete("/_security/role/temp");
    expect(again.status).toBe(404);
    expect(again.body).toEqual({ found: false });
    expect((await h.es.get("/_security/role/temp")).status).toBe(404);
  });

  test("a cluster privilege is a name in any case or a pattern over cluster and template actions", async () => {
    // ClusterPrivilegeResolver.java: `resolve` lower-cases; ACTION_MATCHER is cluster:*, indices:admin/template/*,
    // indices:admin/index_template/*.
    const cluster = ["MONITOR", "cluster:monitor/*", "indices:admin/template/get", "indices:admin/index_template/*"];
    expect((await h.es.put("/_security/role/patterns", { cluster })).status).toBe(200);
  });

  test("reserved roles cannot be written or deleted", async () => {
    const put = await h.es.put("/_security/role/superuser", { cluster: [] });
    expect(put.status).toBe(400);
    expect(put.body.error.reason).toBe("Validation Failed: 1: Role [superuser] is reserved and may not be used.;");
    const del = await h.es.delete("/_security/role/superuser");
    expect(del.status).toBe(400);
    expect(del.body.error.type).toBe("illegal_argument_exception");
    expect(del.body.error.reason).toBe("role [superuser] is reserved and cannot be deleted");
  });

  test.each([
    ["/_security/role/r1", { cluster: [], foo: 1 }, "failed to parse role [r1]. unexpected field [foo]"],
    [
      "/_security/role/r1",
      { indices: [{ names: ["a"], privileges: ["read"], bar: 1 }] },
      "failed to parse indices privileges for role [r1]. unexpected field [bar]",
    ],
    [
      "/_security/role/r1",
      { applications: [{ application: "apm", privileges: ["x"] }] },
      "failed to parse application privileges for role [r1]. missing required [resources] field",
    ],
    [
      "/_security/role/r1",
      { cluster: ["foo"] },
      "unknown cluster privilege [foo]. a privilege must be either one of the predefined cluster privilege names [",
    ],
    // An index action is no cluster action pattern (ClusterPrivilegeResolver.java, ACTION_MATCHER).
    ["/_security/role/r1", { cluster: ["indices:data/read/*"] }, "unknown cluster privilege [indices:data/read/*]"],
    ["/_security/role/r1", { indices: [{ names: ["a"], privileges: ["bogus"] }] }, "unknown index privilege [bogus]"],
    [
      "/_security/role/r1",
      { applications: [{ application: "Apm", privileges: ["x"], resources: ["*"] }] },
      "An application name prefix must match the pattern ^[a-z][A-Za-z0-9]*$ (found 'Apm')",
    ],
    [
      "/_security/role/r1",
      { applications: [{ application: "ab", privileges: ["x"], resources: ["*"] }] },
      "An application name prefix must be at least 3 characters long (found 'ab')",
    ],
    ["/_security/role/r1", { metadata: { _private: 1 } }, "metadata keys may not start with [_]"],
    [
      `/_security/role/${encodeURIComponent(" padded")}`,
      { cluster: [] },
      "Role names must be at least 1 and no more than 507 characters.",
    ],
    [
      `/_security/role/${"r".repeat(508)}`,
      { cluster: [] },
      "Role names must be at least 1 and no more than 507 characters.",
    ],
  ])("PUT %s with %j → 400 containing the reference message", async (path, body, message) => {
    const r = await h.es.put(path, body);
    expect(r.status).toBe(400);
    expect(r.text).toContain(message);
  });

  // Upstream: elastic/elasticsearch x-pack/plugin/core/src/main/java/org/elasticsearch/xpack/core/security/authz/support/
  // DLSRoleQueryValidator.java (validateQueryField, evaluateAndVerifyRoleQuery), called when a role is stored.
  test.each([
    [
      { terms: { user: { index: "users", id: "1", path: "groups" } } },
      "terms query with terms lookup isn't supported as part of a role query",
    ],
    [
      JSON.stringify({ bool: { filter: [{ has_child: { type: "c", query: { match_all: {} } } }] } }),
      "has_child query isn't supported as part of a role query",
    ],
    [
      { constant_score: { filter: { geo_shape: { area: { indexed_shape: { index: "shapes", id: "1" } } } } } },
      "geoshape query referring to indexed shapes isn't supported as part of a role query",
    ],
  ])("a role query %j is refused with the DLS validator's message", async (query, cause) => {
    const r = await h.es.put("/_security/role/dls", {
      indices: [{ names: ["logs", "metrics"], privileges: ["read"], query }],
    });
    expect(r.status).toBe(400);
    expect(r.body.error.type).toBe("parse_exception");
    expect(r.body.error.reason).toBe(
      "failed to parse field 'query' for indices [logs,metrics] at index privilege [0] of role descriptor",
    );
    expect(r.body.error.caused_by).toEqual({ type: "illegal_argument_exception", reason: cause });
    expect((await h.es.get("/_security/role/dls")).status).toBe(404);
  });

  test("plain terms queries and template queries are accepted as role queries", async () => {
    const terms = { terms: { group: ["a", "b"] } };
    const template = { template: { source: { term: { owner: "{{_user.username}}" } } } };
    for (const query of [terms, template]) {
      expect(
        (await h.es.put("/_security/role/dls_ok", { indices: [{ names: ["x"], privileges: ["read"], query }] })).status,
      ).toBe(200);
    }
  });

  // Upstream: elastic/elasticsearch RoleDescriptor.java (ApplicationResourcePrivileges.Builder.build).
  test.each([
    [
      { application: "apm", privileges: [], resources: ["*"] },
      "application privileges must define at least one privilege",
    ],
    [
      { application: "apm", privileges: ["event:write"], resources: [] },
      "application privileges must refer to at least one resource",
    ],
  ])("an application entry %j is refused", async (entry, reason) => {
    const role = await h.es.put("/_security/role/empty_app", { applications: [entry] });
    expect(role.status).toBe(400);
    expect(role.body.error).toMatchObject({ type: "illegal_argument_exception", reason });
    const key = await h.es.post("/_security/api_key", {
      name: "k",
      role_descriptors: { r: { applications: [entry] } },
    });
    expect(key.status).toBe(400);
    expect(key.text).toContain(reason);
    const check = await h.es.post("/_security/user/_has_privileges", { application: [entry] });
    expect(check.status).toBe(400);
    expect(check.text).toContain(reason);
  });

  test("several rule violations come back as one numbered Validation Failed", async () => {
    const r = await h.es.put("/_security/role/r1", { cluster: ["foo", "monitor"], metadata: { _x: 1 } });
    expect(r.body.error.type).toBe("action_request_validation_exception");
    expect(r.body.error.reason).toMatch(
      /^Validation Failed: 1: unknown cluster privilege \[foo\].*;2: metadata keys may not start with \[_\];$/,
    );
  });

  test("a cluster action pattern is an accepted privilege", async () => {
    expect(
      (await h.es.put("/_security/role/pattern", { cluster: ["cluster:admin/xpack/security/api_key/invalidate"] }))
        .status,
    ).toBe(200);
  });

  test("writing roles needs manage_security: 403 text lists [manage_security,all]", async () => {
    const user = await userWithRole(h, "not_admin", { cluster: ["manage_api_key"] });
    const r = await h.es.put("/_security/role/x", { cluster: [] }, { auth: user });
    expect(r.status).toBe(403);
    expect(r.body.error.reason).toBe(
      "action [cluster:admin/xpack/security/role/put] is unauthorized for user [not_admin] with effective roles [not_admin_role], this action is granted by the cluster privileges [manage_security,all]",
    );
  });

  test("a role change applies to its users at once", async () => {
    const user = await userWithRole(h, "mutable", { cluster: [] }, "mutable_role");
    expect((await h.es.get("/", { auth: user })).status).toBe(403);
    await h.es.put("/_security/role/mutable_role", { cluster: ["monitor"] });
    expect((await h.es.get("/", { auth: user })).status).toBe(200);
  });
});

describe("_has_privileges", () => {
  test("application privileges resolve through roles, wildcards and resources", async () => {
    const user = await userWithRole(h, "apm_user_1", APM_AGENT_KEY_ROLE);
    const r = await h.es.post(
      "/_security/user/_has_privileges",
      {
        cluster: ["manage_own_api_key", "manage_api_key"],
        application: [
          { application: "apm", privileges: ["event:write", "config_agent:read", "sourcemap:write"], resources: ["*"] },
          {
            application: "kibana-.kibana",
            privileges: ["feature_apm.all", "api:apm"],
            resources: ["space:default", "space:other"],
          },
        ],
      },
      { auth: user },
    );
    expect(r.status).toBe(200);
    expect(r.body.username).toBe("apm_user_1");
    expect(r.body.has_all_requested).toBe(false);
    expect(r.body.cluster).toEqual({ manage_own_api_key: true, manage_api_key: false });
    expect(r.body.application.apm["*"]).toEqual({
      "event:write": true,
      "config_agent:read": true,
      "sourcemap:write": false,
    });
    expect(r.body.application["kibana-.kibana"]["space:default"]).toEqual({ "feature_apm.all": true, "api:apm": true });
    expect(r.body.application["kibana-.kibana"]["space:other"]).toEqual({ "feature_apm.all": false, "api:apm": false });
  });

  test("an API key's application privileges are checked against its own descriptors (10_basic)", async () => {
    await h.es.put("/_security/role/app_role", {
      cluster: ["manage_own_api_key"],
      applications: [{ application: "myapp", privileges: ["read", "write"], resources: ["*"] }],
    });
    await h.es.put("/_security/user/api_key_user", { password: "x-pack-test-password", roles: ["app_role"] });
    const owner = { username: "api_key_user", password: "x-pack-test-password" };
    const key = await h.es.post(
      "/_security/api_key",
      {
        name: "app-key",
        role_descriptors: {
          r: { applications: [{ application: "myapp", privileges: ["read", "admin"], resources: ["*"] }] },
        },
      },
      { auth: owner },
    );
    const r = await h.es.post(
      "/_security/user/_has_privileges",
      { application: [{ application: "myapp", privileges: ["read", "write", "admin"], resources: ["*"] }] },
      { auth: { apiKey: String(key.body.encoded) } },
    );
    expect(r.body.username).toBe("api_key_user");
    expect(r.body.application.myapp["*"]).toEqual({ read: true, write: false, admin: false });
  });

  // Upstream: elastic/elasticsearch x-pack/plugin/security/src/main/java/org/elasticsearch/xpack/security/authz/
  // RBACEngine.java (checkPrivileges) collects answers per resource through ResourcePrivilegesMap.Builder
  // (addResourcePrivilege), which merges entries that name the same index or application resource.
  test("entries naming the same index or resource twice are merged, not replaced", async () => {
    const user = await userWithRole(h, "reader", {
      indices: [{ names: ["logs"], privileges: ["read"] }],
      applications: [{ application: "myapp", privileges: ["action:login"], resources: ["*"] }],
    });
    const r = await h.es.post(
      "/_security/user/_has_privileges",
      {
        index: [
          { names: ["logs"], privileges: ["read"] },
          { names: ["logs", "metrics"], privileges: ["write"] },
        ],
        application: [
          { application: "myapp", privileges: ["action:login"], resources: ["*"] },
          { application: "myapp", privileges: ["action:logout"], resources: ["*"] },
        ],
      },
      { auth: user },
    );
    expect(r.body.index).toEqual({ logs: { read: true, write: false }, metrics: { write: false } });
    expect(r.body.application).toEqual({ myapp: { "*": { "action:login": true, "action:logout": false } } });
    expect(r.body.has_all_requested).toBe(false);
  });

  test("manage_security implies manage_api_key implies manage_own_api_key; superuser has everything", async () => {
    const sec = await userWithRole(h, "sec", { cluster: ["manage_security"] });
    const r = await h.es.post(
      "/_security/user/_has_privileges",
      { cluster: ["manage_api_key", "manage_own_api_key", "read_security"] },
      { auth: sec },
    );
    expect(r.body.has_all_requested).toBe(true);
    const su = await h.es.post("/_security/user/_has_privileges", {
      cluster: ["all"],
      index: [{ names: ["logs"], privileges: ["read", "write"] }],
      application: [{ application: "apm", privileges: ["event:write"], resources: ["*"] }],
    });
    expect(su.body.has_all_requested).toBe(true);
    expect(su.body.index.logs).toEqual({ read: true, write: true });
  });

  test("an APM agent key holds no cluster privileges but its apm application privileges", async () => {
    const created = await h.kibana.post("/api/apm/agent_keys", { name: "agent", privileges: ["event:write"] });
    const apiKey = String(created.body.agentKey.encoded);
    const r = await h.es.post(
      "/_security/user/_has_privileges",
      {
        cluster: ["manage_own_api_key"],
        application: [{ application: "apm", privileges: ["event:write", "config_agent:read"], resources: ["*"] }],
      },
      { auth: { apiKey } },
    );
    expect(r.body.cluster).toEqual({ manage_own_api_key: false });
    expect(r.body.application.apm["*"]).toEqual({ "event:write": true, "config_agent:read": false });
    expect((await h.es.get("/_security/api_key?owner=true", { auth: { apiKey } })).status).toBe(403);
  });
});
