// The admin surface, in-process and over HTTP on both listeners (emulator/README.md, Admin surface).
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { Harness, startHarness } from "../support/conformance";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
beforeEach(() => h.emulator.admin.reset());
afterAll(() => h.emulator.stop());

async function admin(
  base: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const r = await fetch(`${base}/_emulator/${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, body: await r.json() };
}

describe("admin surface", () => {
  test("state lists seeded users, reserved roles and the default space, without secrets", async () => {
    const state = h.emulator.admin.state();
    expect(state.users.map((u) => u.username).sort()).toEqual(["elastic", "kibana_system"]);
    expect(state.roles.find((r) => r.name === "superuser")?.reserved).toBe(true);
    expect(state.spaces.map((s) => s.id)).toEqual(["default"]);
    const key = await h.es.post("/_security/api_key", { name: "k", metadata: { m: 1 } });
    const policy = await h.kibana.post("/api/fleet/agent_policies", { name: "p", namespace: "default" });
    const text = JSON.stringify(h.emulator.admin.state());
    expect(text).not.toContain(String(key.body.api_key));
    expect(text).not.toContain("changeme");
    const enrollment = await h.kibana.get(`/api/fleet/enrollment_api_keys?kuery=policy_id:"${policy.body.item.id}"`);
    expect(text).not.toContain(String(enrollment.body.items[0].api_key));
    const stored = h.emulator.admin.state().apiKeys.find((k) => k.id === String(key.body.id));
    expect(stored).toMatchObject({
      name: "k",
      type: "rest",
      owner: { username: "elastic", realm: "reserved" },
      invalidated: false,
      metadata: { m: 1 },
    });
    expect(h.emulator.admin.state().agentPolicies.length).toBe(1);
    expect(h.emulator.admin.state().enrollmentKeys.length).toBe(1);
  });

  test("the request log records identity and status, never credentials; admin calls are not logged", async () => {
    const key = await h.es.post("/_security/api_key", { name: "logged" });
    await h.es.get("/_security/_authenticate", { auth: { apiKey: String(key.body.encoded) } });
    await h.kibana.get("/api/spaces/space", { auth: null });
    await fetch(`${h.emulator.kibanaUrl}/_emulator/state`);
    const log = h.emulator.admin.requests();
    expect(log.map((e) => [e.listener, e.method, e.path, e.status, e.identity])).toEqual([
      ["es", "POST", "/_security/api_key", 200, "elastic"],
      ["es", "GET", "/_security/_authenticate", 200, `api_key:${key.body.id}`],
      ["kibana", "GET", "/api/spaces/space", 401, null],
    ]);
    expect(JSON.stringify(log)).not.toContain(String(key.body.encoded));
    expect(typeof log[0]?.time).toBe("number");
    expect(typeof log[0]?.durationMs).toBe("number");
    h.emulator.admin.clearRequests();
    expect(h.emulator.admin.requests()).toEqual([]);
  });

  test("the request log names the keys each request made, invalidated or revoked — also when its answer was lost", async () => {
    const agent = await h.es.post("/_security/api_key", { name: "a" });
    const cc = await h.es.post("/_security/cross_cluster/api_key", {
      name: "c",
      access: { search: [{ names: ["x"] }] },
    });
    await h.es.delete("/_security/api_key", { ids: [String(agent.body.id), String(cc.body.id)] });
    const policy = await h.kibana.post("/api/fleet/agent_policies", { name: "p", namespace: "default" });
    h.emulator.admin.setFaults([
      { listener: "kibana", method: "POST", path: "^/api/fleet/enrollment_api_keys$", kind: "commit-then-fail" },
    ]);
    await h.kibana.post("/api/fleet/enrollment_api_keys", { policy_id: policy.body.item.id });
    // The key the lost create made: the policy's newest (its first is the one Fleet makes with the policy).
    const lost = h.emulator.admin
      .state()
      .enrollmentKeys.filter((k) => k.policy_id === String(policy.body.item.id))
      .at(-1);
    await h.kibana.delete(`/api/fleet/enrollment_api_keys/${lost!.id}`);
    await h.es.get("/_security/api_key", { auth: undefined });
    expect(h.emulator.admin.requests().map((e) => [e.method, e.path, e.status, e.objects])).toEqual([
      ["POST", "/_security/api_key", 200, [agent.body.id]],
      ["POST", "/_security/cross_cluster/api_key", 200, [cc.body.id]],
      ["DELETE", "/_security/api_key", 200, [agent.body.id, cc.body.id]],
      ["POST", "/api/fleet/agent_policies", 200, []],
      ["POST", "/api/fleet/enrollment_api_keys", 503, [lost!.id]],
      ["DELETE", `/api/fleet/enrollment_api_keys/${lost!.id}`, 200, [lost!.id]],
      ["GET", "/_security/api_key", 200, []],
    ]);
  });

  test("reset returns to the seeded state and clears faults", async () => {
    await h.es.put("/_security/role/r", { cluster: [] });
    h.emulator.admin.setFaults([{ path: ".*", kind: "status", status: 503 }]);
    h.emulator.admin.reset();
    expect((await h.es.get("/_security/role/r")).status).toBe(404);
  });

  test("the HTTP surface mirrors the in-process one on both listeners", async () => {
    for (const base of [h.emulator.esUrl, h.emulator.kibanaUrl]) {
      await h.es.put("/_security/role/http_admin", { cluster: [] });
      expect((await admin(base, "GET", "state")).status).toBe(200);
      expect(((await admin(base, "GET", "requests")).body as unknown[]).length).toBeGreaterThan(0);
      expect((await admin(base, "DELETE", "requests")).status).toBe(200);
      expect(((await admin(base, "GET", "requests")).body as unknown[]).length).toBe(0);
      expect(
        (await admin(base, "PUT", "faults", { faults: [{ path: "^/$", kind: "status", status: 502 }] })).status,
      ).toBe(200);
      expect((await h.es.get("/")).status).toBe(502);
      expect((await admin(base, "DELETE", "faults")).status).toBe(200);
      expect((await h.es.get("/")).status).toBe(200);
      expect((await admin(base, "PUT", "latency", { ms: 0 })).status).toBe(200);
      const clock = await admin(base, "POST", "clock", { advanceMs: 1000 });
      expect(clock.status).toBe(200);
      expect((await admin(base, "GET", "connections")).body).toMatchObject({
        es: expect.any(Number),
        kibana: expect.any(Number),
      });
      expect((await admin(base, "POST", "reset")).status).toBe(200);
      expect((await h.es.get("/_security/role/http_admin")).status).toBe(404);
    }
  });

  test("bad admin input is a 400 that says what is wrong; unknown admin routes are 404", async () => {
    const bad = await admin(h.emulator.esUrl, "PUT", "faults", { faults: [{ path: "^/", kind: "explode" }] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("kind");
    expect((await admin(h.emulator.esUrl, "GET", "nope")).status).toBe(404);
    expect((await admin(h.emulator.esUrl, "PUT", "faults", {})).status).toBe(400);
    expect((await admin(h.emulator.esUrl, "PUT", "latency", { ms: "x" })).status).toBe(400);
  });

  test("advanceClock moves the emulator's now forward", async () => {
    const before = h.emulator.admin.state().now;
    h.emulator.admin.advanceClock(86_400_000);
    expect(h.emulator.admin.state().now - before).toBeGreaterThanOrEqual(86_400_000);
  });
});
