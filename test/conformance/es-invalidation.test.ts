// DELETE /_security/api_key (docs/elastic-api.md E.1, C.5; upstream api_key/11_invalidation.yml and ApiKeyRestIT,
// ported).
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { Harness, startHarness, userWithRole } from "../support/conformance";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
beforeEach(() => h.emulator.admin.reset());
afterAll(() => h.emulator.stop());

describe("invalidating API keys", () => {
  test("invalidating by ids is soft: GET still shows the key with invalidated and invalidation", async () => {
    const ids: string[] = [];
    for (const name of ["a", "b", "c"]) ids.push(String((await h.es.post("/_security/api_key", { name })).body.id));
    const r = await h.es.delete("/_security/api_key", { ids });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ invalidated_api_keys: ids, previously_invalidated_api_keys: [], error_count: 0 });
    const got = await h.es.get(`/_security/api_key?id=${ids[0]}`);
    expect(got.body.api_keys[0].invalidated).toBe(true);
    expect(typeof got.body.api_keys[0].invalidation).toBe("number");
  });

  test("unknown and already-invalidated ids are silently ignored", async () => {
    const key = await h.es.post("/_security/api_key", { name: "once" });
    await h.es.delete("/_security/api_key", { ids: [key.body.id] });
    const r = await h.es.delete("/_security/api_key", { ids: [key.body.id, "unknown-id"] });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ invalidated_api_keys: [], previously_invalidated_api_keys: [], error_count: 0 });
  });

  test("expired keys are still invalidated", async () => {
    const key = await h.es.post("/_security/api_key", { name: "old", expiration: "1s" });
    h.emulator.admin.advanceClock(5_000);
    const r = await h.es.delete("/_security/api_key", { ids: [key.body.id] });
    expect(r.body.invalidated_api_keys).toEqual([key.body.id]);
  });

  test("by name, by username and by realm", async () => {
    const user = await userWithRole(h, "api_key_user_1", { cluster: ["manage_own_api_key"] });
    await h.es.post("/_security/api_key", { name: "by-name" });
    await h.es.post("/_security/api_key", { name: "u1" }, { auth: user });
    await h.es.post("/_security/api_key", { name: "u2" }, { auth: user });
    expect((await h.es.delete("/_security/api_key", { name: "by-name" })).body.invalidated_api_keys.length).toBe(1);
    expect(
      (await h.es.delete("/_security/api_key", { username: "api_key_user_1" })).body.invalidated_api_keys.length,
    ).toBe(2);
    await h.es.post("/_security/api_key", { name: "u3" }, { auth: user });
    expect(
      (await h.es.delete("/_security/api_key", { realm_name: "default_native" })).body.invalidated_api_keys.length,
    ).toBe(1);
  });

  test.each([
    [{}, "One of [api key id(s), api key name, username, realm name] must be specified if [owner] flag is false"],
    [
      { ids: ["a"], username: "u" },
      "username or realm name must not be specified when the api key id(s) or api key name are specified",
    ],
    [
      { owner: true, realm_name: "r" },
      "neither username nor realm-name may be specified when invalidating owned API keys",
    ],
    [{ ids: ["a"], name: "n" }, "only one of [api key id(s), api key name] can be specified"],
    [{ ids: [] }, "Field [ids] cannot be an empty array"],
    [{ ids: [" "] }, "Field [ids] must not contain blank id, but got blank id at index position: [0]"],
  ])("body %j is refused with the exact validation message", async (body, message) => {
    const r = await h.es.delete("/_security/api_key", body);
    expect(r.status).toBe(400);
    expect(r.body.error.type).toBe("action_request_validation_exception");
    expect(r.body.error.reason).toContain(message);
    expect(r.body.error.reason).toMatch(/^Validation Failed: 1: /);
  });

  test("the singular id field and unknown fields are refused by the strict parser", async () => {
    const r = await h.es.delete("/_security/api_key", { id: "x" });
    expect(r.status).toBe(400);
    expect(r.body.error.reason).toContain("unknown field [id]");
  });

  test("a missing body is 400 request body is required", async () => {
    const r = await h.es.delete("/_security/api_key");
    expect(r.status).toBe(400);
    expect(r.body.error.reason).toBe("request body is required");
  });

  test("a manage_own_api_key user is refused without owner:true, with the exact reason", async () => {
    const user = await userWithRole(h, "api_key_user_1", { cluster: ["manage_own_api_key"] }, "user_role");
    const key = await h.es.post("/_security/api_key", { name: "mine" }, { auth: user });
    const r = await h.es.delete("/_security/api_key", { ids: [key.body.id] }, { auth: user });
    expect(r.status).toBe(403);
    expect(r.body.error.reason).toBe(
      "action [cluster:admin/xpack/security/api_key/invalidate] is unauthorized for user [api_key_user_1] with effective roles [user_role], this action is granted by the cluster privileges [manage_api_key,manage_security,all]",
    );
    const own = await h.es.delete("/_security/api_key", { ids: [key.body.id], owner: true }, { auth: user });
    expect(own.body.invalidated_api_keys).toEqual([key.body.id]);
  });

  // Upstream: elastic/elasticsearch x-pack/plugin/security/src/main/java/org/elasticsearch/xpack/security/authz/
  // AuthorizationDenialMessages.java (rolesDescription): 9.x names the declared roles and says which resolved.
  test("9.x words the 403 with declared roles and whether they resolved", async () => {
    const nine = await startHarness({ esVersion: "9.0.3" });
    try {
      const user = await userWithRole(nine, "api_key_user_9", { cluster: ["manage_own_api_key"] }, "user_role");
      const key = await nine.es.post("/_security/api_key", { name: "mine" }, { auth: user });
      const r = await nine.es.delete("/_security/api_key", { ids: [key.body.id] }, { auth: user });
      expect(r.status).toBe(403);
      expect(r.body.error.reason).toBe(
        "action [cluster:admin/xpack/security/api_key/invalidate] is unauthorized for user [api_key_user_9] with declared roles [user_role] (all resolved), this action is granted by the cluster privileges [manage_api_key,manage_security,all]",
      );
      await nine.es.put("/_security/user/partly", { password: "x-pack-test-password", roles: ["user_role", "ghost"] });
      const partly = { username: "partly", password: "x-pack-test-password" };
      expect((await nine.es.get("/", { auth: partly })).body.error.reason).toContain(
        "for user [partly] with declared roles [user_role,ghost] (unresolved [ghost]), this action",
      );
      await nine.es.put("/_security/user/roleless", { password: "x-pack-test-password", roles: [] });
      const roleless = { username: "roleless", password: "x-pack-test-password" };
      expect((await nine.es.get("/", { auth: roleless })).body.error.reason).toContain(
        "for user [roleless] with no declared roles, this action",
      );
    } finally {
      await nine.emulator.stop();
    }
  });

  test("owner:true never touches someone else's key: 200 with empty lists", async () => {
    const user = await userWithRole(h, "dave", { cluster: ["manage_own_api_key"] });
    const other = await h.es.post("/_security/api_key", { name: "superuser-key" });
    const r = await h.es.delete("/_security/api_key", { ids: [other.body.id], owner: true }, { auth: user });
    expect(r.status).toBe(200);
    expect(r.body.invalidated_api_keys).toEqual([]);
    expect((await h.es.get(`/_security/api_key?id=${other.body.id}`)).body.api_keys[0].invalidated).toBe(false);
  });

  test("a key may invalidate itself by id", async () => {
    const user = await userWithRole(h, "erin", { cluster: ["manage_own_api_key"] });
    const key = await h.es.post("/_security/api_key", { name: "self" }, { auth: user });
    const r = await h.es.delete(
      "/_security/api_key",
      { ids: [key.body.id] },
      { auth: { apiKey: String(key.body.encoded) } },
    );
    expect(r.body.invalidated_api_keys).toEqual([key.body.id]);
  });

  test("manage_api_key invalidates any REST key", async () => {
    const admin = await userWithRole(h, "key_admin", { cluster: ["manage_api_key"] });
    const key = await h.es.post("/_security/api_key", { name: "su" });
    const r = await h.es.delete("/_security/api_key", { ids: [key.body.id] }, { auth: admin });
    expect(r.body.invalidated_api_keys).toEqual([key.body.id]);
  });

  test("cross-cluster keys without manage_security: 200 with error_details, key untouched", async () => {
    const admin = await userWithRole(h, "key_admin", { cluster: ["manage_api_key"] });
    const cc = await h.es.post("/_security/cross_cluster/api_key", {
      name: "cc",
      access: { search: [{ names: ["logs*"] }] },
    });
    const r = await h.es.delete("/_security/api_key", { ids: [cc.body.id] }, { auth: admin });
    expect(r.status).toBe(200);
    expect(r.body.invalidated_api_keys).toEqual([]);
    expect(r.body.error_count).toBe(1);
    expect(r.body.error_details[0].type).toBe("security_exception");
    expect(r.body.error_details[0].reason).toBe(
      `Cannot invalidate cross-cluster API key [${cc.body.id}]. This requires [manage_security] cluster privilege or higher`,
    );
    expect((await h.es.get(`/_security/api_key?id=${cc.body.id}`)).body.api_keys[0].invalidated).toBe(false);
    const su = await h.es.delete("/_security/api_key", { ids: [cc.body.id] });
    expect(su.body.invalidated_api_keys).toEqual([cc.body.id]);
  });
});
