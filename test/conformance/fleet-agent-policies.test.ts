// Fleet agent policies: the create schema, update and delete. Upstream: elastic/kibana
// x-pack/platform/plugins/shared/fleet/server/types/models/agent_policy.ts (AgentPolicyBaseSchema,
// NewAgentPolicySchema), server/types/rest_spec/agent_policy.ts (CreateAgentPolicyRequestSchema,
// UpdateAgentPolicyRequestSchema, DeleteAgentPolicyRequestSchema), server/services/agent_policy.ts
// (AgentPolicyService.create, update, delete, requireUniqueName) and the FTR suite
// x-pack/platform/test/fleet_api_integration/apis/agent_policy/agent_policy.ts (hosted policies).
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { Harness, startHarness } from "../support/conformance";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
beforeEach(() => h.emulator.admin.reset());
afterAll(() => h.emulator.stop());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

async function createPolicy(body: Record<string, unknown>): Promise<string> {
  const r = await h.kibana.post("/api/fleet/agent_policies", { namespace: "default", ...body });
  if (r.status !== 200) throw new Error(r.text);
  return String(r.body.item.id);
}

describe("creating agent policies", () => {
  test("the optional fields of Kibana's agent policy schema are accepted and returned", async () => {
    const body = {
      name: "full",
      namespace: "default",
      description: "every optional field",
      agent_features: [{ name: "fqdn", enabled: true }],
      global_data_tags: [
        { name: "env", value: "prod" },
        { name: "tier", value: 2 },
      ],
      keep_monitoring_alive: true,
      overrides: { agent: { logging: { level: "debug" } } },
      monitoring_enabled: ["logs"],
      monitoring_pprof_enabled: false,
      monitoring_http: { enabled: true, host: "localhost", port: 6791, buffer: { enabled: false } },
      monitoring_diagnostics: { limit: { interval: "1m", burst: 2 }, uploader: { max_retries: 3 } },
      inactivity_timeout: 3600,
      unenroll_timeout: 600,
      data_output_id: null,
      monitoring_output_id: null,
      is_protected: false,
      supports_agentless: null,
      force: true,
    };
    const r = await h.kibana.post("/api/fleet/agent_policies?sys_monitoring=true", body);
    expect(r.status).toBe(200);
    const item = r.body.item;
    expect(item.agent_features).toEqual(body.agent_features);
    expect(item.global_data_tags).toEqual(body.global_data_tags);
    expect(item.keep_monitoring_alive).toBe(true);
    expect(item.overrides).toEqual(body.overrides);
    expect(item.monitoring_http).toEqual(body.monitoring_http);
    expect(item.inactivity_timeout).toBe(3600);
    expect(item.unenroll_timeout).toBe(600);
    expect(item.force).toBeUndefined();
    expect((await h.kibana.get(`/api/fleet/agent_policies/${item.id}`)).body.item.agent_features).toEqual(
      body.agent_features,
    );
  });

  test('an id of "" is not kept: Kibana generates one', async () => {
    const r = await h.kibana.post("/api/fleet/agent_policies", { name: "blank id", namespace: "default", id: "" });
    expect(r.status).toBe(200);
    expect(String(r.body.item.id)).toMatch(UUID);
  });

  test.each([
    [{ overrides: { "inputs.x": 1 } }, "inputs overrides is not allowed"],
    [
      {
        global_data_tags: [
          { name: "env", value: "a" },
          { name: "env", value: "b" },
        ],
      },
      "[request body.global_data_tags]: Found duplicate tag names: ['env'], duplicate tag names are not allowed.",
    ],
    [
      { global_data_tags: [{ name: "my tag", value: "a" }] },
      "Found tag names with spaces: ['my tag'], tag names with spaces are not allowed.",
    ],
    [
      { agent_features: [{ name: "fqdn" }] },
      "[request body.agent_features.0.enabled]: expected value of type [boolean] but got [undefined]",
    ],
    [
      { monitoring_http: { enabled: true, foo: 1 } },
      "[request body.monitoring_http.foo]: definition for this key is missing",
    ],
    [{ monitoring_enabled: ["logs", "audit"] }, "[request body.monitoring_enabled.1]: types that failed validation:"],
    [{ inactivity_timeout: -1 }, "[request body.inactivity_timeout]: Value must be equal to or greater than [0]."],
    [{ keep_monitoring_alive: "yes" }, "[request body.keep_monitoring_alive]: types that failed validation:"],
  ])("%j → 400 with the config-schema message", async (extra, message) => {
    const r = await h.kibana.post("/api/fleet/agent_policies", { name: "bad", namespace: "default", ...extra });
    expect(r.status).toBe(400);
    expect(r.body.message).toContain(message);
  });
});

describe("updating agent policies", () => {
  test("PUT replaces the given fields, bumps the revision and keeps the rest", async () => {
    const id = await createPolicy({
      name: "before",
      description: "kept",
      agent_features: [{ name: "fqdn", enabled: true }],
    });
    const r = await h.kibana.put(`/api/fleet/agent_policies/${id}`, {
      name: "after",
      namespace: "prod",
      global_data_tags: [{ name: "env", value: "prod" }],
    });
    expect(r.status).toBe(200);
    expect(r.body.item).toMatchObject({ id, name: "after", namespace: "prod", description: "kept", revision: 2 });
    expect(r.body.item.agent_features).toEqual([{ name: "fqdn", enabled: true }]);
    expect(r.body.item.global_data_tags).toEqual([{ name: "env", value: "prod" }]);
    expect((await h.kibana.get(`/api/fleet/agent_policies/${id}`)).body.item.name).toBe("after");
  });

  test("PUT needs name and namespace, refuses another policy's name, and 404s an unknown id", async () => {
    const id = await createPolicy({ name: "one" });
    await createPolicy({ name: "two" });
    const noName = await h.kibana.put(`/api/fleet/agent_policies/${id}`, { namespace: "default" });
    expect(noName.body.message).toBe("[request body.name]: expected value of type [string] but got [undefined]");
    const clash = await h.kibana.put(`/api/fleet/agent_policies/${id}`, { name: "two", namespace: "default" });
    expect(clash.status).toBe(409);
    expect(clash.body.message).toMatch(/^Agent Policy '.+' already exists with name 'two'$/);
    const same = await h.kibana.put(`/api/fleet/agent_policies/${id}`, { name: "one", namespace: "default" });
    expect(same.status).toBe(200);
    const missing = await h.kibana.put("/api/fleet/agent_policies/nope", { name: "x", namespace: "default" });
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe("Agent policy not found");
  });

  test("a hosted (managed) policy changes only with force", async () => {
    const id = await createPolicy({ name: "Hosted policy", is_managed: true });
    const refused = await h.kibana.put(`/api/fleet/agent_policies/${id}`, {
      name: "Regular policy",
      namespace: "default",
    });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toBe("Cannot update name");
    const forced = await h.kibana.put(`/api/fleet/agent_policies/${id}`, {
      name: "Regular policy",
      namespace: "default",
      is_managed: false,
      force: true,
    });
    expect(forced.status).toBe(200);
    expect(forced.body.item.is_managed).toBe(false);
  });
});

describe("deleting agent policies", () => {
  test("POST /delete answers {id, name}, removes the policy and revokes its enrollment keys", async () => {
    const id = await createPolicy({ name: "doomed" });
    const key = await h.kibana.post("/api/fleet/enrollment_api_keys", { policy_id: id, name: "k" });
    const r = await h.kibana.post("/api/fleet/agent_policies/delete", { agentPolicyId: id });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ id, name: "doomed" });
    expect((await h.kibana.get(`/api/fleet/agent_policies/${id}`)).status).toBe(404);
    expect((await h.kibana.get(`/api/fleet/enrollment_api_keys/${key.body.item.id}`)).status).toBe(404);
    const es = await h.es.get(`/_security/api_key?id=${key.body.item.api_key_id}`);
    expect(es.body.api_keys[0].invalidated).toBe(true);
  });

  test("a hosted policy needs force; an unknown id is 404; the body is strict", async () => {
    const id = await createPolicy({ name: "Hosted policy", is_managed: true });
    const refused = await h.kibana.post("/api/fleet/agent_policies/delete", { agentPolicyId: id });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toBe(`Cannot delete hosted agent policy ${id}`);
    const forced = await h.kibana.post("/api/fleet/agent_policies/delete", { agentPolicyId: id, force: true });
    expect(forced.body).toEqual({ id, name: "Hosted policy" });
    const missing = await h.kibana.post("/api/fleet/agent_policies/delete", { agentPolicyId: "nope" });
    expect(missing.status).toBe(404);
    const extra = await h.kibana.post("/api/fleet/agent_policies/delete", { agentPolicyId: "x", id: "x" });
    expect(extra.body.message).toBe("[request body.id]: definition for this key is missing");
  });
});
