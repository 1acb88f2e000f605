// The benchmark's pure pieces (scripts/bench/figures.ts): how the request log is grouped, what counts as the API
// minimum of a create, and whether the soak's fault rules really give the overall mix.
import { describe, expect, test } from "vitest";
import {
  createMinimum,
  createMinimumSummary,
  KINDS,
  mix,
  routeMismatches,
  routeOf,
  soakFaults,
  SOAK_MIX,
  WRITE_ROUTES,
} from "../../scripts/bench/figures";

describe("bench figures", () => {
  test("N resources are an even mix of the registered kinds, in the registry's order, roles counted", () => {
    expect(KINDS.slice(0, 4)).toEqual(["ApmRole", "ApmAgentKey", "EnrollmentApiKey", "CrossClusterApiKey"]);
    expect(Object.values(mix(KINDS.length * 50))).toEqual(KINDS.map(() => 50));
    expect(Object.values(mix(KINDS.length + 2))).toEqual(KINDS.map((_, i) => (i < 2 ? 2 : 1)));
  });

  test("requests group by route: object names and ids become placeholders, queries keep only their keys", () => {
    expect(routeOf({ method: "GET", path: "/_security/role/bench-role-0", query: "" })).toBe(
      "GET /_security/role/{name}",
    );
    expect(routeOf({ method: "GET", path: "/_security/api_key", query: "?owner=true&id=abc" })).toBe(
      "GET /_security/api_key?id&owner",
    );
    expect(routeOf({ method: "DELETE", path: "/s/ops/api/fleet/enrollment_api_keys/1b2c", query: "" })).toBe(
      "DELETE /s/{space}/api/fleet/enrollment_api_keys/{id}",
    );
    expect(routeOf({ method: "POST", path: "/_security/cross_cluster/api_key", query: "" })).toBe(
      "POST /_security/cross_cluster/api_key",
    );
    expect(routeOf({ method: "POST", path: "/_security/user/_has_privileges", query: "" })).toBe(
      "POST /_security/user/_has_privileges",
    );
    expect(routeOf({ method: "PUT", path: "/_security/user/alice", query: "" })).toBe("PUT /_security/user/{name}");
  });

  test("a create that looks first or retries shows up as a mismatch against the minimum", () => {
    const counts = { ...mix(0), ApmRole: 2, ApmAgentKey: 2, EnrollmentApiKey: 2, CrossClusterApiKey: 2 };
    const minimum = createMinimum(counts);
    expect(minimum).toEqual({
      "GET /_security/role/{name}": 2,
      "PUT /_security/role/{name}": 2,
      "POST /_security/api_key": 2,
      "POST /_security/user/_has_privileges": 1,
      "GET /_security/_authenticate": 1,
      "GET /api/status": 1,
      "POST /api/fleet/enrollment_api_keys": 2,
      "POST /_security/cross_cluster/api_key": 2,
    });
    expect(routeMismatches(minimum, minimum)).toEqual([]);
    expect(createMinimumSummary()).toBe(
      "ApmRole 2 (GET, PUT), ApmAgentKey 1 (POST), EnrollmentApiKey 1 (POST), CrossClusterApiKey 1 (POST)",
    );
    expect(
      routeMismatches({ ...minimum, "GET /_security/api_key?name": 1, "POST /_security/api_key": 3 }, minimum),
    ).toEqual(["GET /_security/api_key?name: got 1, minimum 0", "POST /_security/api_key: got 3, minimum 2"]);
  });

  test("the soak's rules, tried in order, give every write request the issue's overall fault mix", () => {
    const rules = soakFaults(1);
    const perGroup = rules.length / WRITE_ROUTES.reduce((n, r) => n + r.methods.length, 0);
    expect(perGroup).toBe(5);
    // The emulator applies the first rule that fires: overall share of rule i = rate_i × Π(1 − rate_j), j < i.
    const group = rules.slice(0, perGroup);
    let left = 1;
    const shares = group.map((r) => {
      const share = left * (r.rate ?? 1);
      left -= share;
      return share;
    });
    expect(shares[0]).toBeCloseTo(SOAK_MIX.throttle429);
    expect(shares[1]).toBeCloseTo(SOAK_MIX.unavailable503);
    expect(shares[2]).toBeCloseTo(SOAK_MIX.reset);
    expect(shares[3] + shares[4]).toBeCloseTo(SOAK_MIX.commitThenFail);
    expect(group.map((r) => [r.kind, r.status])).toEqual([
      ["status", 429],
      ["status", 503],
      ["reset", undefined],
      ["commit-then-fail", 503],
      ["commit-then-fail", 0],
    ]);
    expect(group.filter((r) => r.kind === "status").every((r) => r.retryAfterSeconds === 1)).toBe(true);
    // Every write route of both listeners, never a read.
    expect(rules.every((r) => r.method !== "GET")).toBe(true);
    expect(rules.some((r) => r.listener === "kibana" && r.path.includes("enrollment_api_keys"))).toBe(true);
    expect(rules.some((r) => r.listener === "es" && r.method === "DELETE" && r.path === "^/_security/api_key$")).toBe(
      true,
    );
  });
});

describe("what the bench deploys of each registered type", () => {
  test("every definition's example is valid input for its own schema, with the names the bench gives", async () => {
    const { RESOURCES } = await import("../../provider/framework/registry");
    const { sampleOf } = await import("../../scripts/bench/program");
    for (const r of RESOURCES) {
      const sample = sampleOf(r.lifecycle.definition.type, "bench", 7, "policy-1");
      const parsed = r.lifecycle.definition.schema.safeParse(sample);
      expect(parsed.success, `${r.lifecycle.definition.type}: ${JSON.stringify(sample)}`).toBe(true);
    }
  });
});
