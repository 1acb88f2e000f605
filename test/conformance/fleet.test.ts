// Fleet agent policies and enrollment API keys (docs/elastic-api.md B; upstream enrollment_api_keys/crud.ts, ported).
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { Harness, startHarness, userWithRole } from "../support/conformance";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
beforeEach(() => h.emulator.admin.reset());
afterAll(() => h.emulator.stop());

async function policy(name = "policy 1", id?: string): Promise<string> {
  const r = await h.kibana.post("/api/fleet/agent_policies", { name, namespace: "default", ...(id ? { id } : {}) });
  if (r.status !== 200) throw new Error(r.text);
  return String(r.body.item.id);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("agent policies", () => {
  test("create returns the policy and creates its Default enrollment key", async () => {
    const r = await h.kibana.post("/api/fleet/agent_policies", { name: "p", namespace: "default", description: "d" });
    expect(r.status).toBe(200);
    expect(String(r.body.item.id)).toMatch(UUID);
    expect(r.body.item.description).toBe("d");
    const keys = await h.kibana.get(`/api/fleet/enrollment_api_keys?kuery=policy_id:"${r.body.item.id}"`);
    expect(keys.body.total).toBe(1);
    expect(String(keys.body.items[0].name)).toMatch(/^Default \(.+\)$/);
  });

  test("an explicit id is kept; read one, list, and 404 for an unknown id", async () => {
    await policy("explicit", "policy-explicit");
    expect((await h.kibana.get("/api/fleet/agent_policies/policy-explicit")).body.item.name).toBe("explicit");
    expect((await h.kibana.get("/api/fleet/agent_policies")).body.total).toBe(1);
    expect((await h.kibana.get("/api/fleet/agent_policies/nope")).status).toBe(404);
  });

  test("strict body, required namespace, duplicate names", async () => {
    const unknown = await h.kibana.post("/api/fleet/agent_policies", { name: "p", namespace: "default", raoul: 1 });
    expect(unknown.body.message).toBe("[request body.raoul]: definition for this key is missing");
    const noNs = await h.kibana.post("/api/fleet/agent_policies", { name: "p" });
    expect(noNs.body.message).toBe("[request body.namespace]: expected value of type [string] but got [undefined]");
    const upper = await h.kibana.post("/api/fleet/agent_policies", { name: "p", namespace: "Default" });
    expect(upper.body.message).toBe("[request body.namespace]: Namespace must be lowercase");
    await policy("dup");
    const dup = await h.kibana.post("/api/fleet/agent_policies", { name: "dup", namespace: "default" });
    expect(dup.status).toBe(409);
  });
});

describe("creating enrollment keys", () => {
  test("the name is '<name> (<id>)', the token is the ES encoded key owned by kibana_system", async () => {
    const policyId = await policy();
    const r = await h.kibana.post("/api/fleet/enrollment_api_keys", { policy_id: policyId, name: "my token" });
    expect(r.status).toBe(200);
    expect(r.body.action).toBe("created");
    const item = r.body.item;
    expect(String(item.id)).toMatch(UUID);
    expect(item.name).toBe(`my token (${item.id})`);
    expect(item.active).toBe(true);
    expect(item.policy_id).toBe(policyId);
    expect(item.hidden).toBeUndefined();
    const [id, secret] = Buffer.from(String(item.api_key), "base64").toString().split(":");
    expect(id).toBe(item.api_key_id);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const es = (await h.es.get(`/_security/api_key?id=${item.api_key_id}`)).body.api_keys[0];
    expect(es.username).toBe("kibana_system");
    expect(es.realm).toBe("reserved");
    expect(es.name).toBe(item.name);
    expect(es.metadata).toEqual({ managed_by: "fleet", managed: true, type: "enroll", policy_id: policyId });
    expect(es.role_descriptors["fleet-apikey-enroll"].applications).toEqual([
      { application: "fleet", privileges: ["no-privileges"], resources: ["*"] },
    ]);
  });

  test("without a name, the name is the id", async () => {
    const r = await h.kibana.post("/api/fleet/enrollment_api_keys", { policy_id: await policy() });
    expect(r.body.item.name).toBe(r.body.item.id);
  });

  test("the enrollment token authenticates but holds no privileges", async () => {
    const r = await h.kibana.post("/api/fleet/enrollment_api_keys", { policy_id: await policy(), name: "t" });
    const apiKey = String(r.body.item.api_key);
    const who = await h.es.get("/_security/_authenticate", { auth: { apiKey } });
    expect(who.status).toBe(200);
    expect(who.body.username).toBe("kibana_system");
    expect((await h.es.get("/", { auth: { apiKey } })).status).toBe(403);
    expect(
      (await h.es.post("/_security/api_key", { name: "x", role_descriptors: { e: {} } }, { auth: { apiKey } })).status,
    ).toBe(403);
  });

  test("an unknown policy is 404 with the exact message", async () => {
    const r = await h.kibana.post("/api/fleet/enrollment_api_keys", { policy_id: "idonotexists" });
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ statusCode: 404, error: "Not Found", message: 'Agent policy "idonotexists" not found' });
  });

  test("older 8.x answers 400 for an unknown policy and a duplicate name", async () => {
    const old = await startHarness({ esVersion: "8.14.3" });
    try {
      const missing = await old.kibana.post("/api/fleet/enrollment_api_keys", { policy_id: "nope" });
      expect(missing.status).toBe(400);
      const p = await old.kibana.post("/api/fleet/agent_policies", { name: "p", namespace: "default" });
      await old.kibana.post("/api/fleet/enrollment_api_keys", { policy_id: p.body.item.id, name: "n" });
      expect(
        (await old.kibana.post("/api/fleet/enrollment_api_keys", { policy_id: p.body.item.id, name: "n" })).status,
      ).toBe(400);
    } finally {
      await old.emulator.stop();
    }
  });

  test("a duplicate name on the same policy is 409, revoked keys included; other policies are fine", async () => {
    const p1 = await policy("p1");
    const p2 = await policy("p2");
    const first = await h.kibana.post("/api/fleet/enrollment_api_keys", { policy_id: p1, name: "dup" });
    const again = await h.kibana.post("/api/fleet/enrollment_api_keys", { policy_id: p1, name: "dup" });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({
      statusCode: 409,
      error: "Conflict",
      message: `An enrollment key named dup already exists for agent policy ${p1}`,
    });
    await h.kibana.delete(`/api/fleet/enrollment_api_keys/${first.body.item.id}`);
    expect((await h.kibana.post("/api/fleet/enrollment_api_keys", { policy_id: p1, name: "dup" })).status).toBe(409);
    expect((await h.kibana.post("/api/fleet/enrollment_api_keys", { policy_id: p2, name: "dup" })).status).toBe(200);
    expect((await h.kibana.post("/api/fleet/enrollment_api_keys", { policy_id: p1, name: "du" })).status).toBe(200);
  });

  test("bad params are 400 config-schema errors", async () => {
    const unknown = await h.kibana.post("/api/fleet/enrollment_api_keys", { policy_id: "p", raoul: "raoul" });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toBe("[request body.raoul]: definition for this key is missing");
    const missing = await h.kibana.post("/api/fleet/enrollment_api_keys", { name: "x" });
    expect(missing.body.message).toBe("[request body.policy_id]: expected value of type [string] but got [undefined]");
  });

  test("expiration is accepted and ignored (8.x)", async () => {
    const r = await h.kibana.post("/api/fleet/enrollment_api_keys", {
      policy_id: await policy(),
      name: "e",
      expiration: "30d",
    });
    expect(r.status).toBe(200);
    const es = (await h.es.get(`/_security/api_key?id=${r.body.item.api_key_id}`)).body.api_keys[0];
    expect(es.expiration).toBeUndefined();
  });

  test("a name ES refuses is 400 Impossible to create an api key", async () => {
    const r = await h.kibana.post("/api/fleet/enrollment_api_keys", {
      policy_id: await policy(),
      name: "x".repeat(230),
    });
    expect(r.status).toBe(400);
    expect(r.body.message).toContain("Impossible to create an api key: ");
    expect(r.body.message).toContain("api key name may not be more than 256 characters long");
  });

  test("fleet privileges (8.15, Fleet's own authz): Fleet read is refused, Fleet all with Integrations read writes", async () => {
    const user = await userWithRole(h, "fleet_reader", {
      applications: [{ application: "kibana-.kibana", privileges: ["feature_fleetv2.read"], resources: ["*"] }],
    });
    const p = await policy();
    expect((await h.kibana.get("/api/fleet/enrollment_api_keys", { auth: user })).status).toBe(403);
    const r = await h.kibana.post("/api/fleet/enrollment_api_keys", { policy_id: p }, { auth: user });
    expect(r.status).toBe(403);
    expect(r.body).toEqual({ statusCode: 403, error: "Forbidden", message: "Forbidden" });
    const writer = await userWithRole(h, "fleet_writer", {
      applications: [
        { application: "kibana-.kibana", privileges: ["feature_fleetv2.all", "feature_fleet.read"], resources: ["*"] },
      ],
    });
    expect((await h.kibana.post("/api/fleet/enrollment_api_keys", { policy_id: p }, { auth: writer })).status).toBe(
      200,
    );
  });
});

describe("listing, reading and revoking enrollment keys", () => {
  test("list: items/list/total/page/perPage, newest first, paging", async () => {
    const p = await policy();
    const names: string[] = [];
    for (let i = 0; i < 4; i++) {
      names.push(
        String((await h.kibana.post("/api/fleet/enrollment_api_keys", { policy_id: p, name: `k${i}` })).body.item.name),
      );
    }
    const first = await h.kibana.get("/api/fleet/enrollment_api_keys?perPage=2");
    expect(first.body.total).toBe(5);
    expect(first.body.page).toBe(1);
    expect(first.body.perPage).toBe(2);
    expect(first.body.list).toEqual(first.body.items);
    const all = (await h.kibana.get("/api/fleet/enrollment_api_keys")).body;
    expect(all.perPage).toBe(20);
    const listed = all.items.length;
    expect(listed).toBe(5);
    expect(all.items[0].name).toBe(names[3]);
    expect(all.items[0].hidden).toBe(false);
    const second = await h.kibana.get("/api/fleet/enrollment_api_keys?perPage=2&page=2");
    expect(second.body.items[0].id).toBe(all.items[2].id);
    const beyond = await h.kibana.get("/api/fleet/enrollment_api_keys?perPage=2&page=4");
    expect(beyond.body.items).toEqual([]);
  });

  test("kuery by policy, bare, quoted and prefixed, combined with and", async () => {
    const p1 = await policy("p1");
    const p2 = await policy("p2");
    await h.kibana.post("/api/fleet/enrollment_api_keys", { policy_id: p1, name: "a" });
    for (const kuery of [`policy_id:"${p1}"`, `policy_id:${p1}`, `fleet-enrollment-api-keys.policy_id:"${p1}"`]) {
      const r = await h.kibana.get(`/api/fleet/enrollment_api_keys?kuery=${encodeURIComponent(kuery)}`);
      expect(r.status).toBe(200);
      expect(r.body.total).toBe(2);
    }
    const both = await h.kibana.get(
      `/api/fleet/enrollment_api_keys?kuery=${encodeURIComponent(`policy_id:"${p2}" and active:true`)}`,
    );
    expect(both.body.total).toBe(1);
  });

  test("a kuery on an unknown field or with bad syntax is 400", async () => {
    const field = await h.kibana.get(`/api/fleet/enrollment_api_keys?kuery=${encodeURIComponent('wrong_field:"x"')}`);
    expect(field.status).toBe(400);
    const syntax = await h.kibana.get(
      `/api/fleet/enrollment_api_keys?kuery=${encodeURIComponent('policy_id:"x" and')}`,
    );
    expect(syntax.status).toBe(400);
    const unknownParam = await h.kibana.get("/api/fleet/enrollment_api_keys?foo=1");
    expect(unknownParam.body.message).toBe("[request query.foo]: definition for this key is missing");
  });

  test("read one includes the secret; unknown is 404 with the exact message", async () => {
    const created = await h.kibana.post("/api/fleet/enrollment_api_keys", { policy_id: await policy(), name: "one" });
    const r = await h.kibana.get(`/api/fleet/enrollment_api_keys/${created.body.item.id}`);
    expect(r.body.item.api_key).toBe(created.body.item.api_key);
    const missing = await h.kibana.get("/api/fleet/enrollment_api_keys/nope");
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe("Enrollment api key nope not found");
  });

  test("delete revokes: ES key invalidated, document kept with active:false, idempotent, unknown 404", async () => {
    const created = await h.kibana.post("/api/fleet/enrollment_api_keys", { policy_id: await policy(), name: "rev" });
    const id = String(created.body.item.id);
    const del = await h.kibana.delete(`/api/fleet/enrollment_api_keys/${id}`);
    expect(del.status).toBe(200);
    expect(del.body).toEqual({ action: "deleted" });
    expect((await h.kibana.get(`/api/fleet/enrollment_api_keys/${id}`)).body.item.active).toBe(false);
    expect((await h.es.get(`/_security/api_key?id=${created.body.item.api_key_id}`)).body.api_keys[0].invalidated).toBe(
      true,
    );
    expect(
      (await h.es.get("/_security/_authenticate", { auth: { apiKey: String(created.body.item.api_key) } })).status,
    ).toBe(401);
    expect((await h.kibana.delete(`/api/fleet/enrollment_api_keys/${id}`)).body).toEqual({ action: "deleted" });
    const unknown = await h.kibana.delete("/api/fleet/enrollment_api_keys/nope");
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toBe("Enrollment api key nope not found");
  });

  test("space awareness: a policy in another space is invisible from default", async () => {
    await h.kibana.post("/api/spaces/space", { id: "team-a", name: "Team A" });
    const r = await h.kibana.post("/s/team-a/api/fleet/agent_policies", { name: "in-a", namespace: "default" });
    const policyId = String(r.body.item.id);
    expect((await h.kibana.post("/api/fleet/enrollment_api_keys", { policy_id: policyId })).status).toBe(404);
    expect(
      (await h.kibana.post("/s/team-a/api/fleet/enrollment_api_keys", { policy_id: policyId, name: "a" })).status,
    ).toBe(200);
    expect((await h.kibana.get("/api/fleet/enrollment_api_keys")).body.total).toBe(0);
    expect((await h.kibana.get("/s/team-a/api/fleet/enrollment_api_keys")).body.total).toBe(2);
  });
});

describe("spaces", () => {
  test("the default space is seeded; create, read, conflict, bad id", async () => {
    const list = await h.kibana.get("/api/spaces/space");
    expect(list.body[0].id).toBe("default");
    expect(list.body[0]._reserved).toBe(true);
    const created = await h.kibana.post("/api/spaces/space", { id: "ops", name: "Ops" });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({ id: "ops", name: "Ops", disabledFeatures: [] });
    expect((await h.kibana.get("/api/spaces/space/ops")).body.name).toBe("Ops");
    const dup = await h.kibana.post("/api/spaces/space", { id: "ops", name: "Ops" });
    expect(dup.status).toBe(409);
    expect((await h.kibana.get("/api/spaces/space/nope")).status).toBe(404);
    const bad = await h.kibana.post("/api/spaces/space", { id: "Bad Id", name: "x" });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain("[request body.id]");
  });
});
