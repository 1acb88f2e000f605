// Application privilege definitions and the built-in privilege lists. Upstream: elastic/elasticsearch
// x-pack/plugin/src/yamlRestTest/resources/rest-api-spec/test/privileges/10_basic.yml and 11_builtin.yml (ported),
// x-pack/plugin/security/src/main/java/org/elasticsearch/xpack/security/rest/action/privilege/
// Rest{Put,Get,Delete}PrivilegesAction.java and RestGetBuiltinPrivilegesAction.java, x-pack/plugin/core/.../action/
// privilege/PutPrivilegesRequest.java (validate) and PutPrivilegesRequestBuilder.java (source), and
// x-pack/plugin/core/.../authz/privilege/ApplicationPrivilege.java (resolve: a stored privilege stands for its actions).
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { Harness, startHarness, userWithRole } from "../support/conformance";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
beforeEach(() => h.emulator.admin.reset());
afterAll(() => h.emulator.stop());

const p = (application: string, name: string, actions: string[], metadata?: Record<string, unknown>) => ({
  application,
  name,
  actions,
  ...(metadata ? { metadata } : {}),
});

describe("application privileges (privileges/10_basic.yml)", () => {
  test("put and get privileges", async () => {
    const one = await h.es.put("/_security/privilege", {
      app: { p1: p("app", "p1", ["data:read/*", "action:login"], { key1: "val1a", key2: "val2a" }) },
    });
    expect(one.status).toBe(200);
    expect(one.body).toEqual({ app: { p1: { created: true } } });
    const many = await h.es.put("/_security/privilege", {
      app: {
        p2: p("app", "p2", ["data:read/*", "action:login"], { key1: "val1b", key2: "val2b" }),
        p3: p("app", "p3", ["data:write/*", "action:login"], { key1: "val1c", key2: "val2c" }),
      },
      app2: { p1: p("app2", "p1", ["*"]) },
    });
    expect(many.body).toEqual({
      app: { p2: { created: true }, p3: { created: true } },
      app2: { p1: { created: true } },
    });
    const update = await h.es.post("/_security/privilege", {
      app: { p1: { actions: ["data:read/*", "action:login"], metadata: { key3: "val3" } } },
    });
    expect(update.body).toEqual({ app: { p1: { created: false } } });

    const got = await h.es.get("/_security/privilege/app/p1");
    expect(got.body).toEqual({ app: { p1: p("app", "p1", ["data:read/*", "action:login"], { key3: "val3" }) } });
    const two = await h.es.get("/_security/privilege/app/p1,p2");
    expect(Object.keys(two.body.app)).toEqual(["p1", "p2"]);
    const app = await h.es.get("/_security/privilege/app");
    expect(Object.keys(app.body)).toEqual(["app"]);
    expect(Object.keys(app.body.app)).toEqual(["p1", "p2", "p3"]);
    const all = await h.es.get("/_security/privilege");
    expect(all.body.app2).toEqual({ p1: p("app2", "p1", ["*"], {}) });
    expect((await h.es.get("/_security/privilege/app/nope")).status).toBe(404);
  });

  test("put and delete privileges", async () => {
    await h.es.put("/_security/privilege", {
      app3: {
        p1: p("app3", "p1", ["data:read/*"]),
        p2: p("app3", "p2", ["data:write/*"]),
        p3: p("app3", "p3", ["data:write/*", "data:read/*"]),
        p4: p("app3", "p4", ["*"]),
      },
    });
    expect((await h.es.delete("/_security/privilege/app3/p1")).body).toEqual({ app3: { p1: { found: true } } });
    const more = await h.es.delete("/_security/privilege/app3/p1,p2,p3,p0");
    expect(more.status).toBe(200);
    expect(more.body).toEqual({
      app3: { p1: { found: false }, p2: { found: true }, p3: { found: true }, p0: { found: false } },
    });
    expect((await h.es.get("/_security/privilege/app3/p1,p2,p3")).status).toBe(404);
    const none = await h.es.delete("/_security/privilege/app3/p1");
    expect(none.status).toBe(404);
    expect(none.body).toEqual({ app3: { p1: { found: false } } });
    expect((await h.es.get("/_security/privilege/app3")).body.app3.p4.actions).toEqual(["*"]);
  });

  test("PutPrivilegesRequest validation, numbered", async () => {
    const r = await h.es.put("/_security/privilege", {
      app: { Read: p("app", "Read", ["read"], { _x: 1 }), empty: p("app", "empty", []) },
      "app*": { p: p("app*", "p", ["a:b"]) },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.type).toBe("action_request_validation_exception");
    expect(r.body.error.reason).toBe(
      "Validation Failed: 1: Application privilege names must match the pattern ^[a-z][a-zA-Z0-9_.-]*$ (found 'Read');" +
        "2: action [read] must contain one of [/*:];" +
        "3: metadata keys may not start with [_] (in privilege app Read);" +
        "4: Application privileges must have at least one action;" +
        "5: Application names may not contain '*' (found 'app*');",
    );
  });

  test("a privilege whose body names another application or name is refused", async () => {
    const r = await h.es.put("/_security/privilege", { app: { p1: p("other", "p1", ["a:b"]) } });
    expect(r.status).toBe(400);
    expect(r.body.error.reason).toBe(
      "privilege application [other] in source does not match the provided application [app]",
    );
    const unknown = await h.es.put("/_security/privilege", { app: { p1: { actions: ["a:b"], foo: 1 } } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.reason).toContain("[application-privilege] unknown field [foo]");
  });

  test("writing needs manage_security; read_security may read", async () => {
    const keys = await userWithRole(h, "key_admin", { cluster: ["manage_api_key"] });
    const put = await h.es.put("/_security/privilege", { app: { p1: p("app", "p1", ["a:b"]) } }, { auth: keys });
    expect(put.status).toBe(403);
    expect(put.body.error.reason).toContain(
      "action [cluster:admin/xpack/security/privilege/put] is unauthorized for user [key_admin]",
    );
    expect(put.body.error.reason).toContain("this action is granted by the cluster privileges [manage_security,all]");
    const reader = await userWithRole(h, "reader", { cluster: ["read_security"] });
    expect((await h.es.get("/_security/privilege", { auth: reader })).status).toBe(200);
    expect((await h.es.delete("/_security/privilege/app/p1", undefined, { auth: reader })).status).toBe(403);
  });

  test("a registered privilege grants its actions to the roles that name it", async () => {
    const user = await userWithRole(h, "app_reader", {
      applications: [{ application: "myapp", privileges: ["read"], resources: ["*"] }],
    });
    const check = async () =>
      (
        await h.es.post(
          "/_security/user/_has_privileges",
          {
            application: [
              {
                application: "myapp",
                privileges: ["read", "data:read/docs", "action:login", "write"],
                resources: ["*"],
              },
            ],
          },
          { auth: user },
        )
      ).body.application.myapp["*"];
    expect(await check()).toEqual({ read: true, "data:read/docs": false, "action:login": false, write: false });
    await h.es.put("/_security/privilege", {
      myapp: {
        read: p("myapp", "read", ["data:read/*", "action:login"]),
        write: p("myapp", "write", ["data:write/*", "action:login"]),
      },
    });
    expect(await check()).toEqual({ read: true, "data:read/docs": true, "action:login": true, write: false });
  });
});

describe("built-in privileges (privileges/11_builtin.yml)", () => {
  test("GET _builtin lists the cluster and index privileges a role accepts, sorted", async () => {
    const r = await h.es.get("/_security/privilege/_builtin");
    expect(r.status).toBe(200);
    const cluster = Array.from({ length: r.body.cluster.length }, (_, i) => String(r.body.cluster[i]));
    const index = Array.from({ length: r.body.index.length }, (_, i) => String(r.body.index[i]));
    expect(cluster).toEqual([...cluster].sort());
    expect(cluster).toContain("manage_security");
    expect(index).toContain("read");
    expect(index).not.toContain("read_failure_store");
    expect(r.body.remote_cluster).toEqual(["monitor_enrich"]);
    expect(
      (await h.es.put("/_security/role/every", { cluster, indices: [{ names: ["*"], privileges: index }] })).status,
    ).toBe(200);
  });

  test("before 8.15 there are no remote_cluster privileges", async () => {
    const old = await startHarness({ esVersion: "8.14.3" });
    try {
      const r = await old.es.get("/_security/privilege/_builtin");
      expect(r.status).toBe(200);
      expect(r.body.remote_cluster).toBeUndefined();
    } finally {
      await old.emulator.stop();
    }
  });
});
