// Fault injection (emulator/README.md, Fault rules): latency, status with Retry-After in each server's error shape,
// reset, commit-then-fail with a status or a cut connection, commit-then-garble, count and rate, listener and method
// filters.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { Garble } from "../../emulator";
import { Harness, startHarness } from "../support/conformance";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
beforeEach(() => h.emulator.admin.reset());
afterAll(() => h.emulator.stop());

const liveKeys = () => h.emulator.admin.state().apiKeys.filter((k) => !k.invalidated).length;

describe("faults", () => {
  /**
   * Starts `delayed`, then runs `later`; true when `later` was answered while `delayed` was still waiting (order,
   * not time: no assertion on how long anything took).
   */
  async function answeredWhileHeld(delayed: () => Promise<{ status: number }>, later: () => Promise<unknown>) {
    let held = true;
    const first = delayed().finally(() => (held = false));
    await later();
    const stillHeld = held;
    expect((await first).status).toBe(200);
    return stillHeld;
  }

  test("latency delays matching requests only", async () => {
    h.emulator.admin.setFaults([{ path: "^/_security/_authenticate$", kind: "latency", latencyMs: 3_000 }]);
    const later = () => h.es.get("/");
    expect(await answeredWhileHeld(() => h.es.get("/_security/_authenticate"), later)).toBe(true);
    // The log is in the order requests ended: the request sent second ended first.
    expect(h.emulator.admin.requests().map((r) => r.path)).toEqual(["/", "/_security/_authenticate"]);
  });

  test("setLatency adds to every request on both listeners (the admin surface is never delayed)", async () => {
    h.emulator.admin.setLatency(3_000);
    try {
      const adminState = (base: string) => fetch(`${base}/_emulator/state`).then((r) => r.json());
      const held = await Promise.all([
        answeredWhileHeld(
          () => h.es.get("/"),
          () => adminState(h.emulator.esUrl),
        ),
        answeredWhileHeld(
          () => h.kibana.get("/api/spaces/space"),
          () => adminState(h.emulator.kibanaUrl),
        ),
      ]);
      expect(held).toEqual([true, true]);
    } finally {
      h.emulator.admin.setLatency(0);
    }
  });

  test("status 429 with Retry-After: ES envelope on ES, nothing handled", async () => {
    h.emulator.admin.setFaults([
      {
        listener: "es",
        method: "POST",
        path: "^/_security/api_key$",
        kind: "status",
        status: 429,
        retryAfterSeconds: 3,
        count: 1,
      },
    ]);
    const r = await h.es.post("/_security/api_key", { name: "throttled" });
    expect(r.status).toBe(429);
    expect(r.headers.get("retry-after")).toBe("3");
    expect(r.headers.get("x-elastic-product")).toBe("Elasticsearch");
    expect(r.body.error.type).toBe("es_rejected_execution_exception");
    expect(r.body.status).toBe(429);
    expect(liveKeys()).toBe(0);
    expect((await h.es.post("/_security/api_key", { name: "after" })).status).toBe(200);
  });

  test.each([502, 503, 504])("status %i on Kibana is a Boom body", async (status) => {
    h.emulator.admin.setFaults([{ listener: "kibana", path: "^/api/apm/agent_keys$", kind: "status", status }]);
    const r = await h.kibana.post("/s/space-x/api/apm/agent_keys", { name: "k", privileges: ["event:write"] });
    expect(r.status).toBe(status);
    expect(r.body.statusCode).toBe(status);
    expect(typeof r.body.error).toBe("string");
    expect(liveKeys()).toBe(0);
  });

  test("reset destroys the connection before the request is handled", async () => {
    h.emulator.admin.setFaults([{ path: "^/_security/api_key$", kind: "reset", count: 1 }]);
    await expect(h.es.post("/_security/api_key", { name: "lost" })).rejects.toThrow();
    expect(liveKeys()).toBe(0);
    expect(h.emulator.admin.requests().at(-1)?.status).toBe(0);
  });

  test("commit-then-fail answers an error after the write happened", async () => {
    h.emulator.admin.setFaults([{ path: "^/api/apm/agent_keys$", kind: "commit-then-fail", status: 503, count: 1 }]);
    const r = await h.kibana.post("/api/apm/agent_keys", { name: "committed", privileges: ["event:write"] });
    expect(r.status).toBe(503);
    expect(liveKeys()).toBe(1);
  });

  test("commit-then-fail with status 0 cuts the connection after the write", async () => {
    h.emulator.admin.setFaults([
      { path: "^/_security/api_key$", method: "POST", kind: "commit-then-fail", status: 0, count: 1 },
    ]);
    await expect(h.es.post("/_security/api_key", { name: "committed" })).rejects.toThrow();
    expect(liveKeys()).toBe(1);
  });

  test("commit-then-fail defaults to 503", async () => {
    h.emulator.admin.setFaults([{ path: "^/_security/role/", kind: "commit-then-fail" }]);
    expect((await h.es.put("/_security/role/r", { cluster: [] })).status).toBe(503);
    h.emulator.admin.clearFaults();
    expect((await h.es.get("/_security/role/r")).status).toBe(200);
  });

  describe("commit-then-garble: the write happens, then a proxy spoils the answer", () => {
    const createKey = (garble: Garble, status?: number) => {
      h.emulator.admin.setFaults([
        { path: "^/_security/api_key$", method: "POST", kind: "commit-then-garble", garble, status, count: 1 },
      ]);
      return h.es.post("/_security/api_key", { name: "garbled" });
    };

    test("drop-product-header: the real answer without X-Elastic-Product", async () => {
      const r = await createKey("drop-product-header");
      expect(r.status).toBe(200);
      expect(r.headers.get("x-elastic-product")).toBeNull();
      expect(typeof r.body.api_key).toBe("string");
      expect(liveKeys()).toBe(1);
    });

    test("drop-product-header on Kibana removes kbn-name", async () => {
      h.emulator.admin.setFaults([
        { listener: "kibana", path: "^/api/status$", kind: "commit-then-garble", garble: "drop-product-header" },
      ]);
      const r = await h.kibana.get("/api/status");
      expect(r.headers.get("kbn-name")).toBeNull();
    });

    test("html: a proxy page quoting the real body, entities and all", async () => {
      const r = await createKey("html");
      expect(r.status).toBe(200);
      expect(r.headers.get("content-type")).toMatch(/^text\/html/);
      expect(r.text).toMatch(/^<html>.*&quot;api_key&quot;:&quot;[^&]+&quot;/);
      expect(liveKeys()).toBe(1);
    });

    test("retype: every field's type changes", async () => {
      const r = await createKey("retype");
      expect(r.status).toBe(200);
      expect(Array.isArray(r.body.id)).toBe(true);
      expect(Array.isArray(r.body.encoded)).toBe(true);
      expect(liveKeys()).toBe(1);
    });

    test("restatus: the real body and headers under status 500 (or the rule's status)", async () => {
      const r = await createKey("restatus");
      expect(r.status).toBe(500);
      expect(r.headers.get("x-elastic-product")).toBe("Elasticsearch");
      expect(typeof r.body.encoded).toBe("string");
      expect((await createKey("restatus", 502)).status).toBe(502);
      expect(liveKeys()).toBe(2);
    });

    test("an unknown garble is refused", () => {
      expect(() =>
        h.emulator.admin.setFaults([{ path: "^/$", kind: "commit-then-garble", garble: "nope" } as never]),
      ).toThrow(/garble must be one of drop-product-header, html, retype, restatus/);
    });
  });

  test("count spends the rule; rate 0 never fires", async () => {
    h.emulator.admin.setFaults([
      { path: "^/$", kind: "status", status: 503, count: 2 },
      { path: "^/_security/_authenticate$", kind: "status", status: 503, rate: 0 },
    ]);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await h.es.get("/")).status);
    expect(statuses).toEqual([503, 503, 200]);
    expect((await h.es.get("/_security/_authenticate")).status).toBe(200);
  });

  test("the path regex matches without the space prefix; the listener filter applies", async () => {
    h.emulator.admin.setFaults([{ listener: "es", path: "^/api/spaces/space$", kind: "status", status: 503 }]);
    expect((await h.kibana.get("/s/default/api/spaces/space")).status).toBe(200);
    h.emulator.admin.setFaults([{ listener: "kibana", path: "^/api/spaces/space$", kind: "status", status: 503 }]);
    expect((await h.kibana.get("/s/default/api/spaces/space")).status).toBe(503);
  });

  test("admin requests are never faulted", async () => {
    h.emulator.admin.setFaults([{ path: ".*", kind: "status", status: 503 }]);
    const r = await fetch(`${h.emulator.esUrl}/_emulator/state`);
    expect(r.status).toBe(200);
  });
});
