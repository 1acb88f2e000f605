// REST API keys (docs/elastic-api.md C.3, C.6, E.1, E.2, F; upstream api_key/10_basic.yml and 30_update.yml, ported).
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { Harness, startHarness, userWithRole } from "../support/conformance";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
beforeEach(() => h.emulator.admin.reset());
afterAll(() => h.emulator.stop());

describe("creating REST API keys", () => {
  test("the response has id, name, expiration, api_key and encoded in that order and formats", async () => {
    const r = await h.es.post("/_security/api_key", { name: "my-key", expiration: "1d" });
    expect(r.status).toBe(200);
    expect(Object.keys(r.body)).toEqual(["id", "name", "expiration", "api_key", "encoded"]);
    expect(String(r.body.id)).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(String(r.body.api_key)).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(r.body.encoded).toBe(Buffer.from(`${r.body.id}:${r.body.api_key}`).toString("base64"));
    const now = h.emulator.admin.state().now;
    expect(Number(r.body.expiration)).toBeGreaterThan(now + 86_400_000 - 5_000);
    expect(Number(r.body.expiration)).toBeLessThanOrEqual(now + 86_400_000);
  });

  test("without expiration the response has no expiration field", async () => {
    const r = await h.es.post("/_security/api_key", { name: "forever" });
    expect(Object.keys(r.body)).toEqual(["id", "name", "api_key", "encoded"]);
  });

  test("names are not unique: the same name twice makes two keys", async () => {
    const a = await h.es.post("/_security/api_key", { name: "dup" });
    const b = await h.es.post("/_security/api_key", { name: "dup" });
    expect(a.body.id).not.toBe(b.body.id);
    const list = await h.es.get("/_security/api_key?name=dup");
    expect(list.body.api_keys.length).toBe(2);
  });

  test.each([
    ["", "Validation Failed: 1: api key name is required;"],
    ["x".repeat(257), "Validation Failed: 1: api key name may not be more than 256 characters long;"],
    [" padded", "Validation Failed: 1: api key name may not begin or end with whitespace;"],
    ["_hidden", "Validation Failed: 1: api key name may not begin with an underscore;"],
  ])("name %j is refused with the exact validation message", async (name, message) => {
    const r = await h.es.post("/_security/api_key", { name });
    expect(r.status).toBe(400);
    expect(r.body.error.type).toBe("action_request_validation_exception");
    expect(r.body.error.reason).toBe(message);
  });

  test("several validation problems are combined and numbered", async () => {
    const r = await h.es.post("/_security/api_key", { name: "_x ", metadata: { _secret: 1 } });
    expect(r.body.error.reason).toBe(
      "Validation Failed: 1: api key name may not begin or end with whitespace;2: api key name may not begin with an underscore;3: API key metadata keys may not start with [_];",
    );
  });

  test("an unknown body field is a strict-parser error with a position", async () => {
    const r = await h.es.post("/_security/api_key", { name: "k", foo: 1 });
    expect(r.status).toBe(400);
    expect(r.body.error.type).toBe("x_content_parse_exception");
    expect(r.body.error.reason).toMatch(/^\[1:\d+\] \[api_key_request\] unknown field \[foo\]$/);
  });

  test.each([
    ["-1", true],
    ["0", true],
    ["1 d", true],
    ["90S", true],
    ["10nanos", true],
    ["-2d", "negative durations are not supported"],
    ["1.5d", "fractional time values are not supported"],
    ["7w", "unit is missing or unrecognized"],
    ["5M", "unit is missing or unrecognized"],
    ["12", "unit is missing or unrecognized"],
  ])("expiration %j follows the ES duration rules", async (expiration, expected) => {
    const r = await h.es.post("/_security/api_key", { name: "exp", expiration });
    if (expected === true) {
      expect(r.status).toBe(200);
    } else {
      expect(r.status).toBe(400);
      expect(r.text).toContain(expected);
      expect(r.body.error.type).toBe("x_content_parse_exception");
    }
  });

  test("-1 means no expiration; 1h is an absolute timestamp one hour ahead", async () => {
    const never = await h.es.post("/_security/api_key", { name: "n", expiration: "-1" });
    expect(never.body.expiration).toBeUndefined();
    const hour = await h.es.post("/_security/api_key", { name: "h", expiration: "1h" });
    const got = await h.es.get(`/_security/api_key?id=${hour.body.id}`);
    expect(Number(got.body.api_keys[0].expiration) - Number(got.body.api_keys[0].creation)).toBe(3_600_000);
  });
});

describe("authenticating with issued keys", () => {
  test("a key authenticates and _authenticate returns its id and name", async () => {
    const key = await h.es.post("/_security/api_key", { name: "auth-me" });
    const r = await h.es.get("/_security/_authenticate", { auth: { apiKey: String(key.body.encoded) } });
    expect(r.status).toBe(200);
    expect(r.body.api_key).toEqual({ id: key.body.id, name: "auth-me" });
    expect(r.body.username).toBe("elastic");
    expect(r.body.authentication_type).toBe("api_key");
    expect(r.body.authentication_realm).toEqual({ name: "_es_api_key", type: "_es_api_key" });
    expect(r.body.roles).toEqual([]);
  });

  test("an invalidated key stops authenticating", async () => {
    const key = await h.es.post("/_security/api_key", { name: "short-lived" });
    const apiKey = String(key.body.encoded);
    expect((await h.es.get("/_security/_authenticate", { auth: { apiKey } })).status).toBe(200);
    await h.es.delete("/_security/api_key", { ids: [key.body.id] });
    const r = await h.es.get("/_security/_authenticate", { auth: { apiKey } });
    expect(r.status).toBe(401);
    expect(r.body.error.type).toBe("security_exception");
  });

  test("an expired key is refused (clock advanced past expiration)", async () => {
    const key = await h.es.post("/_security/api_key", { name: "expiring", expiration: "1h" });
    const apiKey = String(key.body.encoded);
    expect((await h.es.get("/_security/_authenticate", { auth: { apiKey } })).status).toBe(200);
    h.emulator.admin.advanceClock(3_600_001);
    expect((await h.es.get("/_security/_authenticate", { auth: { apiKey } })).status).toBe(401);
  });

  test("a wrong secret for a real id is refused", async () => {
    const key = await h.es.post("/_security/api_key", { name: "k" });
    const r = await h.es.get("/_security/_authenticate", {
      auth: { apiKey: Buffer.from(`${key.body.id}:wrong`).toString("base64") },
    });
    expect(r.status).toBe(401);
  });

  test("a key's privileges are its role descriptors limited by the owner's roles", async () => {
    const owner = await userWithRole(h, "limited_owner", { cluster: ["manage_own_api_key"] });
    const key = await h.es.post(
      "/_security/api_key",
      { name: "wants-more", role_descriptors: { r: { cluster: ["all"] } } },
      { auth: owner },
    );
    expect(key.status).toBe(200);
    const r = await h.es.get("/", { auth: { apiKey: String(key.body.encoded) } });
    expect(r.status).toBe(403);
    expect(r.body.error.reason).toContain(`is unauthorized for API key id [${key.body.id}] of user [limited_owner]`);
  });

  test("a key without role descriptors inherits the owner's privileges", async () => {
    const key = await h.es.post("/_security/api_key", { name: "inherit" });
    expect((await h.es.get("/", { auth: { apiKey: String(key.body.encoded) } })).status).toBe(200);
  });

  test("a key creating a key needs an explicitly empty role descriptor", async () => {
    const parent = await h.es.post("/_security/api_key", { name: "parent" });
    const auth = { apiKey: String(parent.body.encoded) };
    const refused = await h.es.post("/_security/api_key", { name: "child" }, { auth });
    expect(refused.status).toBe(400);
    expect(refused.body.error.reason).toContain(
      "creating derived api keys requires an explicit role descriptor that is empty",
    );
    const ok = await h.es.post("/_security/api_key", { name: "child", role_descriptors: { empty: {} } }, { auth });
    expect(ok.status).toBe(200);
  });
});

describe("reading keys", () => {
  test("GET by id returns the documented fields in order", async () => {
    const key = await h.es.post("/_security/api_key", {
      name: "shape",
      metadata: { answer: 42 },
      role_descriptors: { r1: { cluster: ["monitor"] } },
    });
    const r = await h.es.get(`/_security/api_key?id=${key.body.id}`);
    const item = r.body.api_keys[0];
    expect(Object.keys(item)).toEqual([
      "id",
      "name",
      "type",
      "creation",
      "invalidated",
      "username",
      "realm",
      "realm_type",
      "metadata",
      "role_descriptors",
    ]);
    expect(item.type).toBe("rest");
    expect(item.realm).toBe("reserved");
    expect(item.metadata).toEqual({ answer: 42 });
    expect(item.role_descriptors.r1).toEqual({
      cluster: ["monitor"],
      indices: [],
      applications: [],
      run_as: [],
      metadata: {},
      transient_metadata: { enabled: true },
    });
  });

  test("an unknown id is 404 with {api_keys: []}; an unknown name is 200 with an empty list", async () => {
    const byId = await h.es.get("/_security/api_key?id=doesnotexist");
    expect(byId.status).toBe(404);
    expect(byId.body).toEqual({ api_keys: [] });
    const byName = await h.es.get("/_security/api_key?name=doesnotexist");
    expect(byName.status).toBe(200);
    expect(byName.body).toEqual({ api_keys: [] });
  });

  test("name supports a trailing-* prefix and * alone", async () => {
    await h.es.post("/_security/api_key", { name: "app-one" });
    await h.es.post("/_security/api_key", { name: "app-two" });
    await h.es.post("/_security/api_key", { name: "other" });
    expect((await h.es.get("/_security/api_key?name=app-*")).body.api_keys.length).toBe(2);
    expect((await h.es.get("/_security/api_key?name=*")).body.api_keys.length).toBe(3);
  });

  test("with_limited_by adds the owner's descriptors to REST keys", async () => {
    const key = await h.es.post("/_security/api_key", { name: "lb" });
    const r = await h.es.get(`/_security/api_key?id=${key.body.id}&with_limited_by=true`);
    expect(r.body.api_keys[0].limited_by[0].superuser.cluster).toEqual(["all"]);
  });

  test("active_only leaves out invalidated and expired keys, which GET otherwise returns", async () => {
    const dead = await h.es.post("/_security/api_key", { name: "dead" });
    await h.es.post("/_security/api_key", { name: "expired", expiration: "1s" });
    await h.es.post("/_security/api_key", { name: "alive" });
    await h.es.delete("/_security/api_key", { ids: [dead.body.id] });
    h.emulator.admin.advanceClock(2_000);
    expect((await h.es.get("/_security/api_key")).body.api_keys.length).toBe(3);
    const active = await h.es.get("/_security/api_key?active_only=true");
    expect(active.body.api_keys.length).toBe(1);
    expect(active.body.api_keys[0].name).toBe("alive");
  });

  test("id and name together, or with username, are validation errors", async () => {
    const both = await h.es.get("/_security/api_key?id=a&name=b");
    expect(both.status).toBe(400);
    expect(both.body.error.reason).toContain("only one of [api key id, api key name] can be specified");
    const withUser = await h.es.get("/_security/api_key?id=a&username=elastic");
    expect(withUser.body.error.reason).toContain(
      "username or realm name must not be specified when the api key id or api key name is specified",
    );
  });

  test("a manage_own_api_key user sees only its own keys with owner=true, and is refused without it", async () => {
    const alice = await userWithRole(h, "alice", { cluster: ["manage_own_api_key"] }, "own_keys");
    const bob = await userWithRole(h, "bob", null);
    await h.es.put("/_security/user/bob", { password: "x-pack-test-password", roles: ["own_keys"] });
    await h.es.post("/_security/api_key", { name: "alice-key" }, { auth: alice });
    await h.es.post("/_security/api_key", { name: "bob-key" }, { auth: bob });
    const own = await h.es.get("/_security/api_key?owner=true", { auth: alice });
    expect(own.status).toBe(200);
    expect(own.body.api_keys.length).toBe(1);
    expect(own.body.api_keys[0].name).toBe("alice-key");
    const all = await h.es.get("/_security/api_key", { auth: alice });
    expect(all.status).toBe(403);
    expect(all.body.error.reason).toContain(
      "action [cluster:admin/xpack/security/api_key/get] is unauthorized for user [alice]",
    );
    const byUser = await h.es.get("/_security/api_key?username=alice&realm_name=default_native", { auth: alice });
    expect(byUser.status).toBe(200);
  });

  test("read_security sees every key", async () => {
    await h.es.post("/_security/api_key", { name: "su-key" });
    const reader = await userWithRole(h, "reader", { cluster: ["read_security"] });
    const r = await h.es.get("/_security/api_key", { auth: reader });
    expect(r.status).toBe(200);
    expect(r.body.api_keys.length).toBe(1);
  });
});

describe("updating REST keys", () => {
  test("an update reports updated:true, an identical one updated:false", async () => {
    const key = await h.es.post("/_security/api_key", { name: "upd", metadata: { a: 1 } });
    const first = await h.es.put(`/_security/api_key/${key.body.id}`, { metadata: { a: 2 } });
    expect(first.body).toEqual({ updated: true });
    const again = await h.es.put(`/_security/api_key/${key.body.id}`, { metadata: { a: 2 } });
    expect(again.body).toEqual({ updated: false });
    const withExpiration = await h.es.put(`/_security/api_key/${key.body.id}`, {
      metadata: { a: 2 },
      expiration: "1d",
    });
    expect(withExpiration.body).toEqual({ updated: true });
    const got = await h.es.get(`/_security/api_key?id=${key.body.id}`);
    expect(got.body.api_keys[0].metadata).toEqual({ a: 2 });
    expect(got.body.api_keys[0].expiration).toBeDefined();
  });

  test("an update refreshes limited_by: after the owner's role changes, the same body is a change", async () => {
    const owner = await userWithRole(h, "gina", { cluster: ["manage_own_api_key"] }, "gina_role");
    const key = await h.es.post(
      "/_security/api_key",
      { name: "lb", role_descriptors: { r: { cluster: ["monitor"] } } },
      { auth: owner },
    );
    const id = String(key.body.id);
    const body = { role_descriptors: { r: { cluster: ["monitor"] } } };
    expect((await h.es.put(`/_security/api_key/${id}`, body, { auth: owner })).body).toEqual({ updated: false });
    await h.es.put("/_security/role/gina_role", { cluster: ["manage_own_api_key", "monitor"] });
    expect((await h.es.put(`/_security/api_key/${id}`, body, { auth: owner })).body).toEqual({ updated: true });
    const got = await h.es.get(`/_security/api_key?id=${id}&with_limited_by=true`);
    expect(got.body.api_keys[0].limited_by[0].gina_role.cluster).toEqual(["manage_own_api_key", "monitor"]);
    expect((await h.es.get("/", { auth: { apiKey: String(key.body.encoded) } })).status).toBe(200);
  });

  test("changing role_descriptors takes effect for the key at once", async () => {
    const key = await h.es.post("/_security/api_key", {
      name: "narrow",
      role_descriptors: { r: { cluster: ["monitor"] } },
    });
    const auth = { apiKey: String(key.body.encoded) };
    expect((await h.es.get("/", { auth })).status).toBe(200);
    const r = await h.es.put(`/_security/api_key/${key.body.id}`, { role_descriptors: { r: { cluster: [] } } });
    expect(r.body).toEqual({ updated: true });
    expect((await h.es.get("/", { auth })).status).toBe(403);
  });

  test("an API key cannot update keys", async () => {
    const key = await h.es.post("/_security/api_key", { name: "self" });
    const r = await h.es.put(
      `/_security/api_key/${key.body.id}`,
      { metadata: {} },
      { auth: { apiKey: String(key.body.encoded) } },
    );
    expect(r.status).toBe(400);
    expect(r.body.error.reason).toBe(
      "authentication via API key not supported: An API key cannot be used to update an API key",
    );
  });

  test("updating someone else's key or an unknown id is 404", async () => {
    const owner = await userWithRole(h, "carol", { cluster: ["manage_own_api_key"] });
    const key = await h.es.post("/_security/api_key", { name: "su" });
    const r = await h.es.put(`/_security/api_key/${key.body.id}`, { metadata: {} }, { auth: owner });
    expect(r.status).toBe(404);
    expect(r.body.error.type).toBe("resource_not_found_exception");
    expect(r.body.error.reason).toBe(`no API key owned by requesting user found for ID [${key.body.id}]`);
  });

  test("a cross-cluster id on the REST update API is refused with the type message", async () => {
    const cc = await h.es.post("/_security/cross_cluster/api_key", {
      name: "cc",
      access: { search: [{ names: ["a"] }] },
    });
    const r = await h.es.put(`/_security/api_key/${cc.body.id}`, { metadata: {} });
    expect(r.status).toBe(400);
    expect(r.body.error.reason).toBe("cannot update API key of type [cross_cluster] while expected type is [rest]");
  });

  test("an invalidated key cannot be updated", async () => {
    const key = await h.es.post("/_security/api_key", { name: "gone" });
    await h.es.delete("/_security/api_key", { ids: [key.body.id] });
    const r = await h.es.put(`/_security/api_key/${key.body.id}`, { metadata: {} });
    expect(r.status).toBe(400);
    expect(r.body.error.reason).toBe(`cannot update invalidated API key [${key.body.id}]`);
  });

  test("an API key may read itself by id, but not its limited_by", async () => {
    const owner = await userWithRole(h, "frank", { cluster: ["manage_own_api_key"] });
    const key = await h.es.post("/_security/api_key", { name: "self-read" }, { auth: owner });
    const auth = { apiKey: String(key.body.encoded) };
    expect((await h.es.get(`/_security/api_key?id=${key.body.id}`, { auth })).status).toBe(200);
    expect((await h.es.get(`/_security/api_key?id=${key.body.id}&with_limited_by=true`, { auth })).status).toBe(403);
    expect((await h.es.get("/_security/api_key?owner=true", { auth })).status).toBe(403);
  });
});

describe("9.x authenticate", () => {
  test("API key authentication adds managed_by and internal", async () => {
    const nine = await startHarness({ esVersion: "9.1.0" });
    try {
      const key = await nine.es.post("/_security/api_key", { name: "k9" });
      const r = await nine.es.get("/_security/_authenticate", { auth: { apiKey: String(key.body.encoded) } });
      expect(r.body.api_key).toEqual({ id: key.body.id, name: "k9", managed_by: "elasticsearch", internal: false });
      expect((await nine.es.get("/")).body.version.number).toBe("9.1.0");
    } finally {
      await nine.emulator.stop();
    }
  });
});
