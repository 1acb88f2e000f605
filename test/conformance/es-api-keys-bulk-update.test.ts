// POST /_security/api_key/_bulk_update. Upstream: elastic/elasticsearch x-pack/plugin/security/src/main/java/org/
// elasticsearch/xpack/security/rest/action/apikey/RestBulkUpdateApiKeyAction.java (parser), x-pack/plugin/core/.../
// action/apikey/BaseBulkUpdateApiKeyRequest.java and BaseUpdateApiKeyRequest.java (validate),
// BulkUpdateApiKeyResponse.java (updated, noops, errors), BulkUpdateApiKeyAction.java (the action name) and
// x-pack/plugin/security/.../authc/ApiKeyService.java (updateApiKeys, validateForUpdate, addErrorsForNotFoundApiKeys).
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { Harness, startHarness, userWithRole } from "../support/conformance";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
beforeEach(() => h.emulator.admin.reset());
afterAll(() => h.emulator.stop());

const BULK = "/_security/api_key/_bulk_update";

async function keyId(name: string, auth?: { username: string; password: string }): Promise<string> {
  const r = await h.es.post("/_security/api_key", { name }, auth ? { auth } : {});
  return String(r.body.id);
}

describe("bulk update of REST keys", () => {
  test("updated, then noops for the same change; the change reaches every key", async () => {
    const a = await keyId("a");
    const b = await keyId("b");
    const first = await h.es.post(BULK, { ids: [a, b], metadata: { tier: "gold" } });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ updated: [a, b], noops: [], errors: { count: 0 } });
    const again = await h.es.post(BULK, { ids: [a, b], metadata: { tier: "gold" } });
    expect(again.body).toEqual({ updated: [], noops: [a, b], errors: { count: 0 } });
    const got = await h.es.get(`/_security/api_key?id=${b}`);
    expect(got.body.api_keys[0].metadata).toEqual({ tier: "gold" });
  });

  test("keys that cannot be updated are reported one by one under errors", async () => {
    const mine = await keyId("mine");
    const other = await userWithRole(h, "other_owner", { cluster: ["manage_own_api_key"] });
    const theirs = await keyId("theirs", other);
    const dead = await keyId("dead");
    await h.es.delete("/_security/api_key", { ids: [dead] });
    const cc = await h.es.post("/_security/cross_cluster/api_key", {
      name: "cc",
      access: { search: [{ names: ["a"] }] },
    });
    const r = await h.es.post(BULK, { ids: [mine, theirs, dead, String(cc.body.id), "nope"], metadata: { x: 1 } });
    expect(r.status).toBe(200);
    expect(r.body.updated).toEqual([mine]);
    expect(r.body.errors.count).toBe(4);
    expect(r.body.errors.details[theirs]).toEqual({
      type: "resource_not_found_exception",
      reason: `no API key owned by requesting user found for ID [${theirs}]`,
    });
    expect(r.body.errors.details.nope.type).toBe("resource_not_found_exception");
    expect(r.body.errors.details[dead]).toEqual({
      type: "illegal_argument_exception",
      reason: `cannot update invalidated API key [${dead}]`,
    });
    expect(r.body.errors.details[String(cc.body.id)].reason).toBe(
      "cannot update API key of type [cross_cluster] while expected type is [rest]",
    );
  });

  test("request validation: ids required and non-empty, metadata keys, strict body", async () => {
    expect((await h.es.post(BULK, { metadata: {} })).body.error.reason).toBe("Required [ids]");
    const empty = await h.es.post(BULK, { ids: [], metadata: { _x: 1 } });
    expect(empty.status).toBe(400);
    expect(empty.body.error.reason).toBe(
      "Validation Failed: 1: API key metadata keys may not start with [_];2: Field [ids] cannot be empty;",
    );
    const unknown = await h.es.post(BULK, { ids: ["a"], name: "x" });
    expect(unknown.body.error.reason).toContain("[bulk_update_api_key_request] unknown field [name]");
  });

  test("owners with manage_own_api_key may; API keys and users without key privileges may not", async () => {
    const owner = await userWithRole(h, "owner", { cluster: ["manage_own_api_key"] });
    const own = await keyId("own", owner);
    expect((await h.es.post(BULK, { ids: [own], metadata: { v: 2 } }, { auth: owner })).body.updated).toEqual([own]);
    const key = await h.es.post("/_security/api_key", { name: "caller" });
    const byKey = await h.es.post(BULK, { ids: [own] }, { auth: { apiKey: String(key.body.encoded) } });
    expect(byKey.status).toBe(400);
    expect(byKey.body.error.reason).toContain("authentication via API key not supported");
    const nobody = await userWithRole(h, "nobody", { cluster: ["monitor"] });
    const refused = await h.es.post(BULK, { ids: [own] }, { auth: nobody });
    expect(refused.status).toBe(403);
    expect(refused.body.error.reason).toContain("action [cluster:admin/xpack/security/api_key/bulk_update]");
  });
});
