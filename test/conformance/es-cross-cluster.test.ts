// Cross-cluster API keys (docs/elastic-api.md C; upstream api_key/50_cross_cluster.yml and ApiKeyRestIT, ported).
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { Harness, startHarness, userWithRole } from "../support/conformance";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
beforeEach(() => h.emulator.admin.reset());
afterAll(() => h.emulator.stop());

const ACCESS = {
  search: [
    {
      names: ["logs*"],
      query: { term: { category: "shared" } },
      field_security: { grant: ["*"], except: ["private"] },
    },
  ],
};

describe("creating cross-cluster keys", () => {
  test("create returns an encoded key that the REST interface refuses with the exact reason", async () => {
    const r = await h.es.post("/_security/cross_cluster/api_key", {
      name: "my-cc-api-key",
      expiration: "1d",
      access: ACCESS,
      metadata: { description: "phase one", environment: { level: 1 } },
    });
    expect(r.status).toBe(200);
    expect(Object.keys(r.body)).toEqual(["id", "name", "expiration", "api_key", "encoded"]);
    expect(r.body.encoded).toBe(Buffer.from(`${r.body.id}:${r.body.api_key}`).toString("base64"));
    const auth = await h.es.get("/_security/_authenticate", { auth: { apiKey: String(r.body.encoded) } });
    expect(auth.status).toBe(401);
    expect(auth.body.error.type).toBe("security_exception");
    expect(auth.body.error.reason).toBe(
      `authentication expected API key type of [rest], but API key [${r.body.id}] has type [cross_cluster]`,
    );
  });

  test("GET shows the derived cross_cluster descriptor, the access as given, and never limited_by", async () => {
    const key = await h.es.post("/_security/cross_cluster/api_key", {
      name: "both",
      access: { search: [{ names: "logs*" }], replication: [{ names: ["archive"] }] },
    });
    const r = await h.es.get(`/_security/api_key?id=${key.body.id}&with_limited_by=true`);
    const item = r.body.api_keys[0];
    expect(item.type).toBe("cross_cluster");
    expect(item.limited_by).toBeUndefined();
    expect(item.role_descriptors.cross_cluster).toEqual({
      cluster: ["cross_cluster_search", "monitor_enrich", "cross_cluster_replication"],
      indices: [
        {
          names: ["logs*"],
          privileges: ["read", "read_cross_cluster", "view_index_metadata"],
          allow_restricted_indices: false,
        },
        {
          names: ["archive"],
          privileges: ["cross_cluster_replication", "cross_cluster_replication_internal"],
          allow_restricted_indices: false,
        },
      ],
      applications: [],
      run_as: [],
      metadata: {},
      transient_metadata: { enabled: true },
    });
    expect(item.access).toEqual({
      search: [{ names: ["logs*"], allow_restricted_indices: false }],
      replication: [{ names: ["archive"], allow_restricted_indices: false }],
    });
  });

  test("DLS queries are stored and returned as compact JSON strings", async () => {
    const key = await h.es.post("/_security/cross_cluster/api_key", { name: "dls", access: ACCESS });
    const item = (await h.es.get(`/_security/api_key?id=${key.body.id}`)).body.api_keys[0];
    expect(item.access.search[0].query).toBe('{"term":{"category":"shared"}}');
    expect(item.role_descriptors.cross_cluster.cluster).toEqual(["cross_cluster_search", "monitor_enrich"]);
  });

  test("before 8.15 the search descriptor has no monitor_enrich (es-version-lists.test.ts covers each version)", async () => {
    const old = await startHarness({ esVersion: "8.14.3" });
    try {
      const key = await old.es.post("/_security/cross_cluster/api_key", {
        name: "old",
        access: { search: [{ names: ["a"] }] },
      });
      const item = (await old.es.get(`/_security/api_key?id=${key.body.id}`)).body.api_keys[0];
      expect(item.role_descriptors.cross_cluster.cluster).toEqual(["cross_cluster_search"]);
    } finally {
      await old.emulator.stop();
    }
  });

  // Upstream: elastic/elasticsearch x-pack/plugin/core/src/main/java/org/elasticsearch/xpack/core/security/action/apikey/
  // CrossClusterApiKeyRoleDescriptorBuilder.java (build): the rule against DLS/FLS on search next to replication
  // arrived in 8.14; api_key/50_cross_cluster.yml of earlier branches creates such a key.
  test("before 8.14 search DLS/FLS next to replication is accepted", async () => {
    const old = await startHarness({ esVersion: "8.13.4" });
    try {
      const r = await old.es.post("/_security/cross_cluster/api_key", {
        name: "mixed",
        access: {
          search: [{ names: ["logs*"], query: { term: { tier: "shared" } }, field_security: { grant: ["*"] } }],
          replication: [{ names: ["archive"] }],
        },
      });
      expect(r.status).toBe(200);
      const item = (await old.es.get(`/_security/api_key?id=${r.body.id}`)).body.api_keys[0];
      expect(item.access.search[0].query).toBe('{"term":{"tier":"shared"}}');
    } finally {
      await old.emulator.stop();
    }
  });

  test.each([
    [{ name: "x" }, "Required [access]"],
    [{ access: { search: [{ names: ["a"] }] } }, "Required [name]"],
    [{ name: "x", access: null }, "access doesn't support values of type: VALUE_NULL"],
    [{ name: "x", access: {} }, "must specify non-empty access for either [search] or [replication]"],
    [
      { name: "x", access: { search: [], replication: [] } },
      "must specify non-empty access for either [search] or [replication]",
    ],
    [
      { name: "x", access: { replication: [{ names: ["a"], query: { match_all: {} } }] } },
      "replication does not support document or field level security",
    ],
    [
      { name: "x", access: { replication: [{ names: ["a"], field_security: { grant: ["*"] } }] } },
      "replication does not support document or field level security",
    ],
    [
      { name: "x", access: { search: [{ names: ["a"], query: "{}" }], replication: [{ names: ["b"] }] } },
      "search does not support document or field level security if replication is assigned",
    ],
    [{ name: "x", access: { search: [{ names: ["a"], privileges: ["read"] }] } }, "unknown field [privileges]"],
    [
      { name: "x", access: { search: [{ names: ["a"] }] }, foo: 1 },
      "[cross_cluster_api_key_request] unknown field [foo]",
    ],
    [{ name: "", access: { search: [{ names: ["a"] }] } }, "Validation Failed: 1: api key name is required;"],
    [
      { name: "x".repeat(257), access: { search: [{ names: ["a"] }] } },
      "api key name may not be more than 256 characters long",
    ],
    [{ name: " x", access: { search: [{ names: ["a"] }] } }, "api key name may not begin or end with whitespace"],
    [{ name: "_x", access: { search: [{ names: ["a"] }] } }, "api key name may not begin with an underscore"],
    [
      { name: "x", access: { search: [{ names: ["a"] }] }, metadata: { _k: 1 } },
      "API key metadata keys may not start with [_]",
    ],
    [
      { name: "x", access: { search: [{ names: ["a"] }] }, expiration: "7w" },
      "failed to parse setting [expiration] with value [7w] as a time value: unit is missing or unrecognized",
    ],
    [{ name: "x", access: { search: [{ names: ["a"] }] }, expiration: "-2d" }, "negative durations are not supported"],
    [
      { name: "x", access: { search: [{ names: ["a"] }] }, expiration: "1.5d" },
      "failed to parse [1.5d], fractional time values are not supported",
    ],
  ])("body %j → 400 containing the reference message", async (body, message) => {
    const r = await h.es.post("/_security/cross_cluster/api_key", body);
    expect(r.status).toBe(400);
    expect(r.text).toContain(message);
  });

  test("manage_api_key is not enough: 403 naming the cross-cluster create action", async () => {
    const user = await userWithRole(h, "key_admin", { cluster: ["manage_api_key"] });
    const r = await h.es.post(
      "/_security/cross_cluster/api_key",
      { name: "x", access: { search: [{ names: ["a"] }] } },
      { auth: user },
    );
    expect(r.status).toBe(403);
    expect(r.body.error.reason).toContain(
      "action [cluster:admin/xpack/security/cross_cluster/api_key/create] is unauthorized",
    );
  });

  test("an API key credential cannot create one: 400", async () => {
    const key = await h.es.post("/_security/api_key", { name: "rest" });
    const r = await h.es.post(
      "/_security/cross_cluster/api_key",
      { name: "x", access: { search: [{ names: ["a"] }] } },
      { auth: { apiKey: String(key.body.encoded) } },
    );
    expect(r.status).toBe(400);
    expect(r.body.error.reason).toBe(
      "authentication via API key not supported: An API key cannot be used to create a cross-cluster API key",
    );
  });
});

describe("updating cross-cluster keys", () => {
  test("update then the same update: updated true, then false; GET's access round-trips as a no-op", async () => {
    const key = await h.es.post("/_security/cross_cluster/api_key", { name: "u", access: ACCESS, metadata: { v: 1 } });
    const id = String(key.body.id);
    const changed = await h.es.put(`/_security/cross_cluster/api_key/${id}`, {
      access: { replication: [{ names: ["archive*"] }] },
      metadata: { v: 2 },
    });
    expect(changed.body).toEqual({ updated: true });
    const item = (await h.es.get(`/_security/api_key?id=${id}`)).body.api_keys[0];
    expect(item.role_descriptors.cross_cluster.cluster).toEqual(["cross_cluster_replication"]);
    expect(item.metadata).toEqual({ v: 2 });
    const same = await h.es.put(`/_security/cross_cluster/api_key/${id}`, {
      access: item.access,
      metadata: item.metadata,
    });
    expect(same.body).toEqual({ updated: false });
  });

  test("metadata on a key created without metadata always counts as a change, even {}", async () => {
    const key = await h.es.post("/_security/cross_cluster/api_key", { name: "nometa", access: ACCESS });
    expect((await h.es.put(`/_security/cross_cluster/api_key/${key.body.id}`, { metadata: {} })).body).toEqual({
      updated: true,
    });
    expect((await h.es.put(`/_security/cross_cluster/api_key/${key.body.id}`, { metadata: {} })).body).toEqual({
      updated: false,
    });
  });

  test("any expiration makes the update a change", async () => {
    const key = await h.es.post("/_security/cross_cluster/api_key", { name: "e", access: ACCESS, metadata: {} });
    const r = await h.es.put(`/_security/cross_cluster/api_key/${key.body.id}`, { metadata: {}, expiration: "2d" });
    expect(r.body).toEqual({ updated: true });
  });

  test("expiration alone is not enough", async () => {
    const key = await h.es.post("/_security/cross_cluster/api_key", { name: "e", access: ACCESS });
    const r = await h.es.put(`/_security/cross_cluster/api_key/${key.body.id}`, { expiration: "2d" });
    expect(r.status).toBe(400);
    expect(r.body.error.reason).toBe(
      "Validation Failed: 1: must update either [access] or [metadata] for cross-cluster API keys;",
    );
  });

  test("a bad body on an unknown id is still a 400 (validation first)", async () => {
    const r = await h.es.put("/_security/cross_cluster/api_key/nope", { access: {} });
    expect(r.status).toBe(400);
    expect(r.text).toContain("must specify non-empty access for either [search] or [replication]");
  });

  test("missing body, unknown id, invalidated, expired and REST ids follow the C.4 table", async () => {
    expect((await h.es.put("/_security/cross_cluster/api_key/x")).body.error.reason).toBe("request body is required");
    const unknown = await h.es.put("/_security/cross_cluster/api_key/nope", { metadata: {} });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.reason).toBe("no API key owned by requesting user found for ID [nope]");
    const rest = await h.es.post("/_security/api_key", { name: "rest" });
    const wrongType = await h.es.put(`/_security/cross_cluster/api_key/${rest.body.id}`, { metadata: {} });
    expect(wrongType.body.error.reason).toBe(
      "cannot update API key of type [rest] while expected type is [cross_cluster]",
    );
    const expiring = await h.es.post("/_security/cross_cluster/api_key", {
      name: "x",
      access: ACCESS,
      expiration: "1s",
    });
    h.emulator.admin.advanceClock(2_000);
    const expired = await h.es.put(`/_security/cross_cluster/api_key/${expiring.body.id}`, { metadata: {} });
    expect(expired.body.error.reason).toBe(`cannot update expired API key [${expiring.body.id}]`);
    const dead = await h.es.post("/_security/cross_cluster/api_key", { name: "y", access: ACCESS });
    await h.es.delete("/_security/api_key", { ids: [dead.body.id] });
    const invalidated = await h.es.put(`/_security/cross_cluster/api_key/${dead.body.id}`, { metadata: {} });
    expect(invalidated.body.error.reason).toBe(`cannot update invalidated API key [${dead.body.id}]`);
  });

  test("only the owner can update: another manage_security user gets 404", async () => {
    const other = await userWithRole(h, "sec_admin", { cluster: ["manage_security"] });
    const key = await h.es.post("/_security/cross_cluster/api_key", { name: "su", access: ACCESS });
    const r = await h.es.put(`/_security/cross_cluster/api_key/${key.body.id}`, { metadata: {} }, { auth: other });
    expect(r.status).toBe(404);
  });

  test("manage_api_key gets 403 on update", async () => {
    const user = await userWithRole(h, "key_admin", { cluster: ["manage_api_key"] });
    const r = await h.es.put("/_security/cross_cluster/api_key/x", { metadata: {} }, { auth: user });
    expect(r.status).toBe(403);
    expect(r.body.error.reason).toContain("cluster:admin/xpack/security/cross_cluster/api_key/update");
  });

  test("invalidate then GET shows invalidated", async () => {
    const key = await h.es.post("/_security/cross_cluster/api_key", { name: "inv", access: ACCESS });
    await h.es.delete("/_security/api_key", { ids: [key.body.id] });
    expect((await h.es.get(`/_security/api_key?id=${key.body.id}`)).body.api_keys[0].invalidated).toBe(true);
  });
});
