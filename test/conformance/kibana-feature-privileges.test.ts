// Kibana feature privileges as each Kibana version registers them and as the Fleet and APM routes check them
// (emulator/kibana/features.ts, registered-privileges.ts, routes.ts, emulator/fleet/fleet-authz.ts; the upstream
// files are cited there). Users hold exactly the Kibana privilege under test on all spaces and nothing else.
import { describe, expect, test } from "vitest";
import { Harness, harnessPerVersion, userWithRole } from "../support/conformance";

const VERSIONS = ["8.14.3", "8.17.4", "8.18.0", "9.0.0", "9.1.0"] as const;
const at = harnessPerVersion(VERSIONS);
let users = 0;

/** A user whose only privileges are these `kibana-.kibana` privileges on all spaces. */
function kibanaUser(h: Harness, privileges: string[]) {
  return userWithRole(h, `kibana_user_${++users}`, {
    applications: [{ application: "kibana-.kibana", privileges, resources: ["*"] }],
  });
}

async function policy(h: Harness): Promise<string> {
  const r = await h.kibana.post("/api/fleet/agent_policies", { name: `policy ${++users}`, namespace: "default" });
  if (r.status !== 200) throw new Error(r.text);
  return String(r.body.item.id);
}

/** What a user may do with enrollment keys: the statuses of list, create, read one and revoke. */
async function keyStatuses(h: Harness, privileges: string[]) {
  const auth = await kibanaUser(h, privileges);
  const p = await policy(h);
  const existing = await h.kibana.post("/api/fleet/enrollment_api_keys", { policy_id: p });
  const keyPath = `/api/fleet/enrollment_api_keys/${existing.body.item.id}`;
  return {
    list: (await h.kibana.get("/api/fleet/enrollment_api_keys", { auth })).status,
    create: (await h.kibana.post("/api/fleet/enrollment_api_keys", { policy_id: p }, { auth })).status,
    read: (await h.kibana.get(keyPath, { auth })).status,
    revoke: (await h.kibana.delete(keyPath, undefined, { auth })).status,
  };
}

const ALLOWED = { list: 200, create: 200, read: 200, revoke: 200 };
const REFUSED = { list: 403, create: 403, read: 403, revoke: 403 };
const READ_ONLY = { list: 200, create: 403, read: 200, revoke: 403 };

async function registered(h: Harness): Promise<string[]> {
  return Object.keys((await h.es.get("/_security/privilege/kibana-.kibana")).body["kibana-.kibana"]);
}

describe("the privileges Kibana registers for kibana-.kibana", () => {
  test("Fleet's sub-feature privileges exist from 8.18 (the subfeaturePrivileges flag's default), not before", async () => {
    for (const v of ["8.14.3", "8.17.4"] as const) {
      const names = await registered(at(v));
      expect(names).toEqual(expect.arrayContaining(["feature_fleetv2.all", "feature_fleetv2.minimal_all"]));
      expect(names).not.toContain("feature_fleetv2.agents_all");
    }
    expect(await registered(at("8.18.0"))).toEqual(
      expect.arrayContaining([
        "feature_fleetv2.agents_all",
        "feature_fleetv2.agents_read",
        "feature_fleetv2.agent_policies_all",
        "feature_fleetv2.agent_policies_read",
        "feature_fleetv2.settings_all",
        "feature_fleetv2.settings_read",
      ]),
    );
  });

  test("fleet-setup is Fleet's reserved privilege, and no base or feature privilege carries it", async () => {
    const stored = (await at("9.1.0").es.get("/_security/privilege/kibana-.kibana")).body["kibana-.kibana"];
    expect(stored["reserved_fleet-setup"].actions).toEqual(["api:fleet-setup"]);
    for (const name of ["all", "read", "space_all", "space_read", "feature_fleetv2.all", "feature_fleetv2.read"]) {
      expect(stored[name].actions).not.toContain("api:fleet-setup");
      expect(stored[name].actions).not.toContain("*");
    }
  });

  test("APM's settings_save sub-feature (apm_settings_write) exists from 8.17; minimal_all never has it", async () => {
    const old = (await at("8.14.3").es.get("/_security/privilege/kibana-.kibana")).body["kibana-.kibana"];
    expect(old["feature_apm.settings_save"]).toBeUndefined();
    expect(old["feature_apm.all"].actions).toEqual(expect.arrayContaining(["api:apm", "api:apm_write"]));
    const now = (await at("9.1.0").es.get("/_security/privilege/kibana-.kibana")).body["kibana-.kibana"];
    expect(now["feature_apm.settings_save"].actions).toEqual(["login:", "api:apm_settings_write"]);
    expect(now["feature_apm.all"].actions).toContain("api:apm_settings_write");
    expect(now["feature_apm.minimal_all"].actions).not.toContain("api:apm_settings_write");
  });
});

describe("enrollment keys from 9.0: Kibana API privileges fleet-agents-all, or fleet-setup to read", () => {
  test("on 9.1 the Fleet sub-feature privilege agents_all alone lists, creates, reads and revokes keys", async () => {
    expect(await keyStatuses(at("9.1.0"), ["feature_fleetv2.agents_all"])).toEqual(ALLOWED);
  });

  test("on 9.1 Fleet minimal_all alone may not: no fleet-agents-all without the sub-feature", async () => {
    const h = at("9.1.0");
    expect(await keyStatuses(h, ["feature_fleetv2.minimal_all"])).toEqual(REFUSED);
    const auth = await kibanaUser(h, ["feature_fleetv2.minimal_all"]);
    expect((await h.kibana.get("/api/fleet/enrollment_api_keys", { auth })).body.message).toBe(
      "API [GET /api/fleet/enrollment_api_keys] is unauthorized for user, this action is granted by the Kibana privileges [fleet-agents-all,fleet-setup]",
    );
    expect((await h.kibana.post("/api/fleet/enrollment_api_keys", { policy_id: "p" }, { auth })).body.message).toBe(
      "API [POST /api/fleet/enrollment_api_keys] is unauthorized for user, this action is granted by the Kibana privileges [fleet-agents-all]",
    );
  });

  test("Fleet all includes agents_all; Kibana's base all does too, and the reserved fleet-setup only reads", async () => {
    const h = at("9.0.0");
    expect(await keyStatuses(h, ["feature_fleetv2.all"])).toEqual(ALLOWED);
    expect(await keyStatuses(h, ["all"])).toEqual(ALLOWED);
    expect(await keyStatuses(h, ["reserved_fleet-setup"])).toEqual(READ_ONLY);
  });

  test("the route check runs before the body is validated", async () => {
    const h = at("9.1.0");
    const auth = await kibanaUser(h, ["feature_fleetv2.read"]);
    const r = await h.kibana.post("/api/fleet/enrollment_api_keys", { raoul: 1 }, { auth });
    expect(r.status).toBe(403);
  });
});

describe("Kibana's own matrix: x-pack/platform/test/fleet_api_integration/apis/enrollment_api_keys/privileges.ts", () => {
  // Its users (test_users.ts) hold one Kibana feature grant on all spaces; list, create and revoke share one status.
  test.each([
    ["fleet_all_only", ["feature_fleetv2.all"], 200],
    ["fleet_agents_all_only", ["feature_fleetv2.agents_all"], 200],
    ["fleet_agents_read_only", ["feature_fleetv2.agents_read"], 403],
    ["fleet_read_only", ["feature_fleetv2.read"], 403],
    ["fleet_no_access", ["feature_dashboards.read"], 403],
    ["fleet_minimal_all_only", ["feature_fleetv2.minimal_all"], 403],
    ["fleet_minimal_read_only", ["feature_fleetv2.minimal_read"], 403],
    ["fleet_settings_read_only", ["feature_fleetv2.settings_read"], 403],
  ] as const)("9.1 %s: %i", async (_user, privileges, status) => {
    const { read: _read, ...statuses } = await keyStatuses(at("9.1.0"), [...privileges]);
    expect(statuses).toEqual({ list: status, create: status, revoke: status });
  });
});

describe("enrollment keys before 9.0: Fleet's own authz, a bare 403 Forbidden", () => {
  test("on 8.18 agents_all alone manages keys; minimal_all is refused with Fleet's Forbidden", async () => {
    const h = at("8.18.0");
    expect(await keyStatuses(h, ["feature_fleetv2.agents_all"])).toEqual(ALLOWED);
    expect(await keyStatuses(h, ["feature_fleetv2.minimal_all"])).toEqual(REFUSED);
    const auth = await kibanaUser(h, ["feature_fleetv2.minimal_all"]);
    expect((await h.kibana.get("/api/fleet/enrollment_api_keys", { auth })).body).toEqual({
      statusCode: 403,
      error: "Forbidden",
      message: "Forbidden",
    });
  });

  test("before 8.18, writing keys needs Fleet all together with Integrations read or all", async () => {
    for (const v of ["8.14.3", "8.17.4"] as const) {
      expect(await keyStatuses(at(v), ["feature_fleetv2.all"])).toEqual(READ_ONLY);
      expect(await keyStatuses(at(v), ["feature_fleetv2.all", "feature_fleet.read"])).toEqual(ALLOWED);
      // Without sub-features minimal_all is Fleet all itself.
      expect(await keyStatuses(at(v), ["feature_fleetv2.minimal_all", "feature_fleet.read"])).toEqual(ALLOWED);
    }
  });

  test("Fleet's check runs after the body is validated", async () => {
    const h = at("8.17.4");
    const auth = await kibanaUser(h, ["feature_fleetv2.read"]);
    const r = await h.kibana.post("/api/fleet/enrollment_api_keys", { policy_id: "p", raoul: 1 }, { auth });
    expect(r.status).toBe(400);
    expect(r.body.message).toBe("[request body.raoul]: definition for this key is missing");
  });
});

describe("no Fleet read privilege reads enrollment keys, at any version (only fleet-setup or agents all do)", () => {
  test.each(VERSIONS)("%s: Fleet read, minimal_read and Kibana's base read list no keys", async (v) => {
    for (const privileges of [["feature_fleetv2.read"], ["feature_fleetv2.minimal_read"], ["read"], ["space_read"]]) {
      expect(await keyStatuses(at(v), privileges)).toEqual(REFUSED);
    }
  });

  test.each(VERSIONS)("%s: the reserved fleet-setup privilege lists and reads keys", async (v) => {
    expect(await keyStatuses(at(v), ["reserved_fleet-setup"])).toEqual(READ_ONLY);
  });
});

describe("agent policies", () => {
  async function policyStatuses(h: Harness, privileges: string[]) {
    const auth = await kibanaUser(h, privileges);
    const p = await policy(h);
    return {
      list: (await h.kibana.get("/api/fleet/agent_policies", { auth })).status,
      read: (await h.kibana.get(`/api/fleet/agent_policies/${p}`, { auth })).status,
      create: (
        await h.kibana.post("/api/fleet/agent_policies", { name: `p${++users}`, namespace: "default" }, { auth })
      ).status,
    };
  }

  test("on 9.1 agents_read reads policies and agent_policies_all writes them", async () => {
    const h = at("9.1.0");
    expect(await policyStatuses(h, ["feature_fleetv2.agents_read"])).toEqual({ list: 200, read: 200, create: 403 });
    expect(await policyStatuses(h, ["feature_fleetv2.agent_policies_all"])).toEqual({
      list: 200,
      read: 200,
      create: 200,
    });
    expect(await policyStatuses(h, ["feature_fleetv2.agents_all"])).toEqual({ list: 200, read: 200, create: 403 });
  });

  test("before 8.18, Fleet read reads policies; writing needs Fleet all and Integrations", async () => {
    const h = at("8.17.4");
    expect(await policyStatuses(h, ["feature_fleetv2.read"])).toEqual({ list: 200, read: 200, create: 403 });
    expect(await policyStatuses(h, ["feature_fleetv2.all"])).toEqual({ list: 200, read: 200, create: 403 });
    expect(await policyStatuses(h, ["feature_fleetv2.all", "feature_fleet.all"])).toEqual({
      list: 200,
      read: 200,
      create: 200,
    });
  });
});

describe("APM agent keys through Kibana", () => {
  const CREATE = { name: "k", privileges: ["event:write"] };
  const apmUser = (h: Harness, kibana: string[]) =>
    userWithRole(h, `apm_user_${++users}`, {
      cluster: ["manage_own_api_key"],
      applications: [
        { application: "apm", privileges: ["event:write"], resources: ["*"] },
        { application: "kibana-.kibana", privileges: kibana, resources: ["*"] },
      ],
    });

  test("from 8.17 the create needs apm and apm_settings_write; the 403 names only what is missing", async () => {
    const h = at("9.1.0");
    const reader = await apmUser(h, ["feature_apm.read"]);
    const r = await h.kibana.post("/api/apm/agent_keys", CREATE, { auth: reader });
    expect(r.status).toBe(403);
    expect(r.body.message).toBe(
      "API [POST /api/apm/agent_keys] is unauthorized for user, this action is granted by the Kibana privileges [apm_settings_write]",
    );
    const minimal = await apmUser(h, ["feature_apm.minimal_all"]);
    expect((await h.kibana.post("/api/apm/agent_keys", CREATE, { auth: minimal })).status).toBe(403);
    const withSettings = await apmUser(h, ["feature_apm.minimal_all", "feature_apm.settings_save"]);
    expect((await h.kibana.post("/api/apm/agent_keys", CREATE, { auth: withSettings })).status).toBe(200);
    const all = await apmUser(h, ["feature_apm.all"]);
    expect((await h.kibana.post("/api/apm/agent_keys", CREATE, { auth: all })).status).toBe(200);
  });

  test("before 8.17 the create needs apm and apm_write, which APM all and minimal_all both grant", async () => {
    const h = at("8.14.3");
    const reader = await apmUser(h, ["feature_apm.read"]);
    const r = await h.kibana.post("/api/apm/agent_keys", CREATE, { auth: reader });
    expect(r.body.message).toBe(
      "API [POST /api/apm/agent_keys] is unauthorized for user, this action is granted by the Kibana privileges [apm_write]",
    );
    const minimal = await apmUser(h, ["feature_apm.minimal_all"]);
    expect((await h.kibana.post("/api/apm/agent_keys", CREATE, { auth: minimal })).status).toBe(200);
  });
});
