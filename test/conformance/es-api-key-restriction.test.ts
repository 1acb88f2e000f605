// Workflow restrictions on API key role descriptors (docs/elastic-api.md D.1). Upstream: elastic/elasticsearch
// x-pack/plugin/core/src/main/java/org/elasticsearch/xpack/core/security/authz/RoleDescriptor.java (Restriction.parse,
// the allowRestriction parser option), .../action/role/RoleDescriptorRequestValidator.java (validate: unknown
// workflows), x-pack/plugin/security/src/main/java/org/elasticsearch/xpack/security/authc/ApiKeyService.java
// (validateWorkflowsRestrictionConstraints) and security-trial RoleWithWorkflowsRestrictionRestIT (roles refuse it).
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { Harness, startHarness } from "../support/conformance";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
beforeEach(() => h.emulator.admin.reset());
afterAll(() => h.emulator.stop());

const RESTRICTED = {
  indices: [{ names: ["my-app"], privileges: ["read"] }],
  restriction: { workflows: ["search_application_query"] },
};

describe("restriction on API key role descriptors", () => {
  test("a key restricted to a workflow is created, and GET shows the restriction", async () => {
    const r = await h.es.post("/_security/api_key", { name: "search-app", role_descriptors: { r: RESTRICTED } });
    expect(r.status).toBe(200);
    const item = (await h.es.get(`/_security/api_key?id=${r.body.id}`)).body.api_keys[0];
    expect(item.role_descriptors.r.restriction).toEqual({ workflows: ["search_application_query"] });
  });

  test("an empty restriction object is accepted and not shown", async () => {
    const r = await h.es.post("/_security/api_key", {
      name: "open",
      role_descriptors: { r: { cluster: ["monitor"], restriction: {} } },
    });
    expect(r.status).toBe(200);
    const item = (await h.es.get(`/_security/api_key?id=${r.body.id}`)).body.api_keys[0];
    expect(item.role_descriptors.r.restriction).toBeUndefined();
  });

  test.each([
    [
      { workflows: [] },
      "failed to parse restriction for role [r]. [workflows] cannot be an empty array",
      "parse_exception",
    ],
    [
      { workflows: null },
      "failed to parse restriction for role [r]. could not parse [workflows] field. expected a string array but found null value instead",
      "parse_exception",
    ],
    [
      { workflows: ["foo"] },
      "Validation Failed: 1: Unknown workflow [foo]. A workflow must be one of the predefined workflow names [search_application_query].;",
      "action_request_validation_exception",
    ],
  ])("restriction %j → 400 %s", async (restriction, reason, type) => {
    const r = await h.es.post("/_security/api_key", {
      name: "bad",
      role_descriptors: { r: { cluster: ["monitor"], restriction } },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.type).toBe(type);
    expect(r.body.error.reason).toBe(reason);
  });

  test("a restricted descriptor must be the key's only one", async () => {
    const mixed = await h.es.post("/_security/api_key", {
      name: "mixed",
      role_descriptors: { r: RESTRICTED, plain: { cluster: ["monitor"] } },
    });
    expect(mixed.status).toBe(400);
    expect(mixed.body.error.reason).toBe("combining role descriptors with and without restriction is not supported");
    const two = await h.es.post("/_security/api_key", {
      name: "two",
      role_descriptors: { r: RESTRICTED, s: RESTRICTED },
    });
    expect(two.body.error.reason).toBe("more than one role descriptor with restriction is not supported");
  });

  test("an update may add a restriction", async () => {
    const key = await h.es.post("/_security/api_key", { name: "later" });
    const r = await h.es.put(`/_security/api_key/${key.body.id}`, { role_descriptors: { r: RESTRICTED } });
    expect(r.body).toEqual({ updated: true });
  });

  test("outside its workflow a restricted key is authorized for nothing (no emulated API is a workflow)", async () => {
    const key = await h.es.post("/_security/api_key", {
      name: "restricted",
      role_descriptors: { r: { cluster: ["all"], restriction: { workflows: ["search_application_query"] } } },
    });
    const auth = { apiKey: String(key.body.encoded) };
    expect((await h.es.get("/_security/_authenticate", { auth })).status).toBe(200);
    expect((await h.es.get("/", { auth })).status).toBe(403);
  });

  test("roles refuse restriction as an unexpected field", async () => {
    const r = await h.es.put("/_security/role/with_restriction", RESTRICTED);
    expect(r.status).toBe(400);
    expect(r.body.error.reason).toBe("failed to parse role [with_restriction]. unexpected field [restriction]");
  });

  test("before 8.9 API keys refuse restriction too", async () => {
    const old = await startHarness({ esVersion: "8.8.2" });
    try {
      const r = await old.es.post("/_security/api_key", { name: "early", role_descriptors: { r: RESTRICTED } });
      expect(r.status).toBe(400);
      expect(r.body.error.reason).toBe("failed to parse role [r]. unexpected field [restriction]");
    } finally {
      await old.emulator.stop();
    }
  });
});
