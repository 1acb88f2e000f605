// APM agent keys through Kibana (docs/elastic-api.md A; upstream agent_keys.spec.ts suites, ported).
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { APM_AGENT_KEY_ROLE, Harness, startHarness, userWithRole } from "../support/conformance";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
beforeEach(() => h.emulator.admin.reset());
afterAll(() => h.emulator.stop());

describe("creating agent keys", () => {
  test("the response wraps the ES create response; the key is an ES key with APM metadata and descriptor", async () => {
    const r = await h.kibana.post("/api/apm/agent_keys", {
      name: "apm-key",
      privileges: ["event:write", "config_agent:read"],
    });
    expect(r.status).toBe(200);
    expect(Object.keys(r.body.agentKey)).toEqual(["id", "name", "api_key", "encoded"]);
    expect(r.body.agentKey.name).toBe("apm-key");
    const es = await h.es.get(`/_security/api_key?id=${r.body.agentKey.id}`);
    const key = es.body.api_keys[0];
    expect(key.username).toBe("elastic");
    expect(key.metadata).toEqual({ application: "apm" });
    expect(key.expiration).toBeUndefined();
    expect(key.role_descriptors.apm.applications).toEqual([
      { application: "apm", privileges: ["event:write", "config_agent:read"], resources: ["*"] },
    ]);
    expect(key.role_descriptors.apm.cluster).toEqual([]);
  });

  test("names are not unique", async () => {
    const a = await h.kibana.post("/api/apm/agent_keys", { name: "same", privileges: ["event:write"] });
    const b = await h.kibana.post("/api/apm/agent_keys", { name: "same", privileges: ["event:write"] });
    expect(a.body.agentKey.id).not.toBe(b.body.agentKey.id);
  });

  // Upstream: elastic/kibana x-pack/solutions/observability/plugins/apm/server/routes/agent_keys/create_agent_key.ts
  // (createAgentKey: _has_privileges, then create, both as the caller) and the APM route wrapper that turns ES errors
  // into 500; elastic/elasticsearch RoleDescriptor.java (ApplicationResourcePrivileges.Builder.build) refuses an
  // application entry without privileges.
  test("an empty privilege list passes Kibana's validation, but ES refuses it, so the route answers 500", async () => {
    const r = await h.kibana.post("/api/apm/agent_keys", { name: "none", privileges: [] });
    expect(r.status).toBe(500);
    expect(r.body.error).toBe("Internal Server Error");
    expect(r.body.message).toContain("application privileges must define at least one privilege");
    expect((await h.es.get("/_security/api_key?name=none")).body.api_keys).toEqual([]);
  });

  test("excess keys are refused", async () => {
    const r = await h.kibana.post("/api/apm/agent_keys", { name: "x", privileges: ["event:write"], foo: 1 });
    expect(r.status).toBe(400);
    expect(r.body.message).toBe("Excess keys are not allowed:\nbody.foo");
  });

  test.each([
    [{ privileges: ["event:write"] }, "/body/name"],
    [{ name: "x" }, "/body/privileges"],
    [{ name: "x", privileges: ["sourcemap:write"] }, "/body/privileges/0"],
    [{ name: 5, privileges: [] }, "/body/name"],
  ])("type errors are 400 Failed to validate (%j)", async (body, where) => {
    const r = await h.kibana.post("/api/apm/agent_keys", body);
    expect(r.status).toBe(400);
    expect(r.body.message).toContain("Failed to validate");
    expect(r.body.message).toContain(where);
  });

  test.each(["", "_underscore", " padded", "x".repeat(257)])(
    "a name ES refuses (%j) surfaces as 500 with the ES message",
    async (name) => {
      const r = await h.kibana.post("/api/apm/agent_keys", { name, privileges: ["event:write"] });
      expect(r.status).toBe(500);
      expect(r.body.error).toBe("Internal Server Error");
      expect(r.body.message).toContain("action_request_validation_exception");
      expect(r.body.attributes).toEqual({ data: {}, _inspect: [] });
    },
  );

  test("_inspect=true adds _inspect to the response", async () => {
    const r = await h.kibana.post("/api/apm/agent_keys?_inspect=true", { name: "i", privileges: ["event:write"] });
    expect(r.body._inspect).toEqual([]);
  });
});

describe("privileges for agent keys", () => {
  test("a user holding only the APM agent key role creates keys it owns", async () => {
    const user = await userWithRole(h, "apm_creator", APM_AGENT_KEY_ROLE);
    const r = await h.kibana.post(
      "/api/apm/agent_keys",
      { name: "mine", privileges: ["event:write", "config_agent:read"] },
      { auth: user },
    );
    expect(r.status).toBe(200);
    const key = (await h.es.get(`/_security/api_key?id=${r.body.agentKey.id}`)).body.api_keys[0];
    expect(key.username).toBe("apm_creator");
    expect(key.realm).toBe("default_native");
  });

  test("that user invalidates its own key with owner:true and gets 403 without it", async () => {
    const user = await userWithRole(h, "apm_creator", APM_AGENT_KEY_ROLE);
    const created = await h.kibana.post(
      "/api/apm/agent_keys",
      { name: "mine", privileges: ["event:write"] },
      { auth: user },
    );
    const id = String(created.body.agentKey.id);
    const refused = await h.es.delete("/_security/api_key", { ids: [id] }, { auth: user });
    expect(refused.status).toBe(403);
    const own = await h.es.delete("/_security/api_key", { ids: [id], owner: true }, { auth: user });
    expect(own.body.invalidated_api_keys).toEqual([id]);
    const read = await h.es.get(`/_security/api_key?id=${id}&owner=true`, { auth: user });
    expect(read.body.api_keys[0].invalidated).toBe(true);
  });

  test("that user cannot do anything else: roles, cross-cluster keys, other spaces", async () => {
    const user = await userWithRole(h, "apm_creator", APM_AGENT_KEY_ROLE);
    expect((await h.es.put("/_security/role/x", { cluster: [] }, { auth: user })).status).toBe(403);
    expect(
      (
        await h.es.post(
          "/_security/cross_cluster/api_key",
          { name: "x", access: { search: [{ names: ["a"] }] } },
          { auth: user },
        )
      ).status,
    ).toBe(403);
    expect(
      (await h.kibana.post("/s/other/api/apm/agent_keys", { name: "x", privileges: ["event:write"] }, { auth: user }))
        .status,
    ).toBe(403);
    expect((await h.kibana.post("/api/fleet/enrollment_api_keys", { policy_id: "p" }, { auth: user })).status).toBe(
      403,
    );
  });

  test("a missing APM application privilege is 403 with the upstream message and attributes", async () => {
    const user = await userWithRole(h, "partial", {
      cluster: ["manage_own_api_key"],
      applications: [
        { application: "apm", privileges: ["config_agent:read"], resources: ["*"] },
        { application: "kibana-.kibana", privileges: ["feature_apm.all"], resources: ["*"] },
      ],
    });
    const r = await h.kibana.post(
      "/api/apm/agent_keys",
      { name: "k", privileges: ["event:write", "config_agent:read"] },
      { auth: user },
    );
    expect(r.status).toBe(403);
    expect(r.body.message).toContain("partial is missing the following requested privilege(s): event:write.");
    expect(r.body.message).toContain("You might try with the superuser");
    expect(r.body.attributes).toEqual({
      data: { missingPrivileges: ["event:write"], missingClusterPrivileges: [] },
      _inspect: [],
    });
  });

  test("a missing manage_own_api_key is listed as a missing cluster privilege", async () => {
    const user = await userWithRole(h, "nocluster", {
      applications: [
        { application: "apm", privileges: ["event:write"], resources: ["*"] },
        { application: "kibana-.kibana", privileges: ["feature_apm.all"], resources: ["*"] },
      ],
    });
    const r = await h.kibana.post("/api/apm/agent_keys", { name: "k", privileges: ["event:write"] }, { auth: user });
    expect(r.status).toBe(403);
    expect(r.body.message).toContain(
      "nocluster is missing the following requested privilege(s):  and following cluster privileges - manage_own_api_key privilege(s).",
    );
    expect(r.body.attributes).toEqual({
      data: { missingPrivileges: [], missingClusterPrivileges: ["manage_own_api_key"] },
      _inspect: [],
    });
  });
});

describe("internal APM routes", () => {
  test("list shows live agent keys only, own keys only for manage_own_api_key users", async () => {
    const user = await userWithRole(h, "apm_creator", APM_AGENT_KEY_ROLE);
    await h.kibana.post("/api/apm/agent_keys", { name: "su-key", privileges: ["event:write"] });
    const mine = await h.kibana.post(
      "/api/apm/agent_keys",
      { name: "user-key", privileges: ["event:write"] },
      { auth: user },
    );
    const dead = await h.kibana.post("/api/apm/agent_keys", { name: "dead", privileges: ["event:write"] });
    await h.es.post("/_security/api_key", { name: "not-apm" });
    await h.es.delete("/_security/api_key", { ids: [dead.body.agentKey.id] });
    const all = await h.kibana.get("/internal/apm/agent_keys");
    expect(all.body.agentKeys.length).toBe(2);
    const own = await h.kibana.get("/internal/apm/agent_keys", { auth: user });
    expect(own.body.agentKeys.length).toBe(1);
    expect(own.body.agentKeys[0].id).toBe(mine.body.agentKey.id);
  });

  test("invalidate: own key for a non-admin, unknown id gives an empty list", async () => {
    const user = await userWithRole(h, "apm_creator", APM_AGENT_KEY_ROLE);
    const mine = await h.kibana.post(
      "/api/apm/agent_keys",
      { name: "user-key", privileges: ["event:write"] },
      { auth: user },
    );
    const other = await h.kibana.post("/api/apm/agent_keys", { name: "su-key", privileges: ["event:write"] });
    const r = await h.kibana.post("/internal/apm/api_key/invalidate", { id: mine.body.agentKey.id }, { auth: user });
    expect(r.body).toEqual({ invalidatedAgentKeys: [mine.body.agentKey.id] });
    const notMine = await h.kibana.post(
      "/internal/apm/api_key/invalidate",
      { id: other.body.agentKey.id },
      { auth: user },
    );
    expect(notMine.body).toEqual({ invalidatedAgentKeys: [] });
    const unknown = await h.kibana.post("/internal/apm/api_key/invalidate", { id: "nope" });
    expect(unknown.body).toEqual({ invalidatedAgentKeys: [] });
  });

  test("a user with the Kibana feature but no key privileges gets 500 from the internal list", async () => {
    const user = await userWithRole(h, "viewer_only", {
      applications: [{ application: "kibana-.kibana", privileges: ["feature_apm.read"], resources: ["*"] }],
    });
    const r = await h.kibana.get("/internal/apm/agent_keys", { auth: user });
    expect(r.status).toBe(500);
  });

  test("the privileges route tells admins from key owners", async () => {
    const user = await userWithRole(h, "apm_creator", APM_AGENT_KEY_ROLE);
    expect((await h.kibana.get("/internal/apm/agent_keys/privileges")).body).toEqual({
      areApiKeysEnabled: true,
      isAdmin: true,
      canManage: true,
    });
    expect((await h.kibana.get("/internal/apm/agent_keys/privileges", { auth: user })).body).toEqual({
      areApiKeysEnabled: true,
      isAdmin: false,
      canManage: true,
    });
  });
});

describe("Kibana status", () => {
  test("GET /api/status reports the Kibana version", async () => {
    const r = await h.kibana.get("/api/status");
    expect(r.status).toBe(200);
    expect(r.body.version.number).toBe("8.15.0");
  });
});
