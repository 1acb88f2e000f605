// Fleet details that follow Kibana's code rather than its schemas: the enrollment-key duplicate-name check,
// paging straight into an ES search, and strict KQL field validation. Upstream: elastic/kibana
// x-pack/platform/plugins/shared/fleet/server/services/api_keys/enrollment_api_key.ts (generateEnrollmentAPIKey,
// listEnrollmentApiKeys), server/services/agent_policy.ts (list through a saved-objects find),
// server/errors/handlers.ts (fleetErrorToResponseOptions: errors that are neither Fleet's nor Boom are 500),
// server/routes/utils/filter_utils.ts (validateKuery, hasFilterKeyError) over ENROLLMENT_API_KEY_MAPPINGS and
// AGENT_POLICY_MAPPINGS (server/constants/mappings.ts); elastic/elasticsearch SearchSourceBuilder.from.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { Harness, startHarness } from "../support/conformance";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
beforeEach(() => h.emulator.admin.reset());
afterAll(() => h.emulator.stop());

async function policy(name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const r = await h.kibana.post("/api/fleet/agent_policies", { name, namespace: "default", ...extra });
  if (r.status !== 200) throw new Error(r.text);
  return String(r.body.item.id);
}

const kuery = (path: string, q: string) => h.kibana.get(`${path}?kuery=${encodeURIComponent(q)}`);

describe("the enrollment-key duplicate-name check", () => {
  test("it ignores whitespace around the uuid suffix: 'dup ' clashes with 'dup' and the other way round", async () => {
    const p = await policy("p");
    expect((await h.kibana.post("/api/fleet/enrollment_api_keys", { policy_id: p, name: "dup" })).status).toBe(200);
    const spaced = await h.kibana.post("/api/fleet/enrollment_api_keys", { policy_id: p, name: "dup " });
    expect(spaced.status).toBe(409);
    expect(spaced.body.message).toBe(`An enrollment key named dup  already exists for agent policy ${p}`);
    const q = await policy("q");
    expect((await h.kibana.post("/api/fleet/enrollment_api_keys", { policy_id: q, name: "tail " })).status).toBe(200);
    expect((await h.kibana.post("/api/fleet/enrollment_api_keys", { policy_id: q, name: "tail" })).status).toBe(409);
    expect((await h.kibana.post("/api/fleet/enrollment_api_keys", { policy_id: q, name: "tai" })).status).toBe(200);
  });
});

describe("paging", () => {
  test("page=0 asks ES for a negative from: 500, on both list routes", async () => {
    await policy("p");
    for (const path of ["/api/fleet/enrollment_api_keys", "/api/fleet/agent_policies"]) {
      const r = await h.kibana.get(`${path}?page=0`);
      expect(r.status).toBe(500);
      expect(r.body.error).toBe("Internal Server Error");
      expect(r.body.message).toContain("[from] parameter cannot be negative but was [-20]");
    }
    expect((await h.kibana.get("/api/fleet/enrollment_api_keys?page=0&perPage=0")).status).toBe(200);
  });
});

describe("strict KQL validation", () => {
  test("enrollment keys: only the index's mapped fields; before 9.1 hidden and namespaces are not among them", async () => {
    await policy("p");
    for (const field of [
      "policy_id",
      "name",
      "active",
      "api_key_id",
      "created_at",
      "fleet-enrollment-api-keys.active",
    ]) {
      expect((await kuery("/api/fleet/enrollment_api_keys", `${field}:*`)).status).toBe(200);
    }
    const hidden = await kuery("/api/fleet/enrollment_api_keys", "hidden:false");
    expect(hidden.status).toBe(400);
    expect(hidden.body.message).toBe("[request query.kuery]: KQLSyntaxError: This type 'hidden' is not allowed");
    const prefixed = await kuery("/api/fleet/enrollment_api_keys", "fleet-enrollment-api-keys.namespaces:default");
    expect(prefixed.body.message).toBe(
      "[request query.kuery]: KQLSyntaxError: This key 'fleet-enrollment-api-keys.namespaces' does NOT exist in fleet-enrollment-api-keys saved object index patterns",
    );
  });

  // Kibana's x-pack/platform/test/fleet_api_integration/apis/enrollment_api_keys/crud.ts filters with `not hidden:true`;
  // its GetEnrollmentAPIKeysRequestSchema has page, perPage and kuery only, so `showHidden` stays refused.
  test("from 9.1 hidden is a kuery field; showHidden is not a query parameter of the list route", async () => {
    const nine = await startHarness({ esVersion: "9.1.0" });
    try {
      await nine.kibana.post("/api/fleet/agent_policies", { name: "open", namespace: "default" });
      await nine.kibana.post("/api/fleet/agent_policies", { name: "hosted", namespace: "default", is_managed: true });
      const visible = await nine.kibana.get(
        `/api/fleet/enrollment_api_keys?kuery=${encodeURIComponent("not hidden:true")}`,
      );
      expect(visible.status).toBe(200);
      expect(visible.body.total).toBe(1);
      const showHidden = await nine.kibana.get("/api/fleet/enrollment_api_keys?showHidden=false");
      expect(showHidden.status).toBe(400);
      expect(showHidden.body.message).toBe("[request query.showHidden]: definition for this key is missing");
    } finally {
      await nine.emulator.stop();
    }
  });

  test("agent policies: the kuery is validated against the policy mapping and filters the list", async () => {
    await policy("alpha", { is_managed: true });
    await policy("beta");
    const managed = await kuery("/api/fleet/agent_policies", "ingest-agent-policies.is_managed:true");
    expect(managed.status).toBe(200);
    expect(managed.body.total).toBe(1);
    expect(managed.body.items[0].name).toBe("alpha");
    expect((await kuery("/api/fleet/agent_policies", 'name:"beta" or name:alpha')).body.total).toBe(2);
    const unknown = await kuery("/api/fleet/agent_policies", "color:blue");
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toBe("[request query.kuery]: KQLSyntaxError: This type 'color' is not allowed");
    const syntax = await kuery("/api/fleet/agent_policies", "name:");
    expect(syntax.status).toBe(400);
    expect(syntax.body.message).toMatch(/^\[request query\.kuery\]: Expected /);
  });
});
