// _query/api_key (reference E.4; upstream api_key/20_query.yml, ported in part).
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { Harness, startHarness, userWithRole } from "./helpers";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
beforeEach(() => h.emulator.admin.reset());
afterAll(() => h.emulator.stop());

describe("querying API keys", () => {
  test("term, prefix, bool and sort over the documented fields", async () => {
    await h.es.post("/_security/api_key", { name: "query-a", metadata: { tier: "gold" } });
    await h.es.post("/_security/api_key", { name: "query-b", metadata: { tier: "silver" } });
    await h.es.post("/_security/api_key", { name: "other" });
    const gold = await h.es.post("/_security/_query/api_key", { query: { term: { "metadata.tier": "gold" } } });
    expect(gold.status).toBe(200);
    expect(gold.body.total).toBe(1);
    expect(gold.body.count).toBe(1);
    expect(gold.body.api_keys[0].name).toBe("query-a");
    const sorted = await h.es.post("/_security/_query/api_key", {
      query: { prefix: { name: "query-" } },
      sort: [{ name: { order: "desc" } }],
    });
    expect(sorted.body.api_keys[0].name).toBe("query-b");
    expect(sorted.body.api_keys[0]._sort).toEqual(["query-b"]);
    const notGold = await h.es.post("/_security/_query/api_key", {
      query: { bool: { must: [{ wildcard: { name: "query-*" } }], must_not: [{ term: { "metadata.tier": "gold" } }] } },
    });
    expect(notGold.body.api_keys.length).toBe(1);
    const paged = await h.es.post("/_security/_query/api_key", { from: 1, size: 1, sort: ["creation"] });
    expect(paged.body.total).toBe(3);
    expect(paged.body.count).toBe(1);
    expect(paged.body.api_keys[0].name).toBe("query-b");
  });

  test("a manage_own_api_key caller sees only its own keys", async () => {
    const user = await userWithRole(h, "query_user", { cluster: ["manage_own_api_key"] });
    await h.es.post("/_security/api_key", { name: "su" });
    await h.es.post("/_security/api_key", { name: "mine" }, { auth: user });
    const r = await h.es.get("/_security/_query/api_key", { auth: user });
    expect(r.body.total).toBe(1);
    expect(r.body.api_keys[0].name).toBe("mine");
  });

  test("fields outside the API-key mapping and unknown query types are refused", async () => {
    const field = await h.es.post("/_security/_query/api_key", { query: { term: { api_key_hash: "x" } } });
    expect(field.status).toBe(400);
    expect(field.body.error.reason).toBe("Field [api_key_hash] is not allowed for querying or aggregation");
    const nested = await h.es.post("/_security/_query/api_key", {
      query: { bool: { must: [{ term: { name: "x" } }, { term: { secret: "y" } }] } },
    });
    expect(nested.status).toBe(400);
    const type = await h.es.post("/_security/_query/api_key", { query: { fuzzy: { name: "x" } } });
    expect(type.status).toBe(400);
  });

  test("a user without key privileges gets 403", async () => {
    const user = await userWithRole(h, "nobody", { cluster: ["monitor"] });
    const r = await h.es.post("/_security/_query/api_key", {}, { auth: user });
    expect(r.status).toBe(403);
    expect(r.body.error.reason).toContain("cluster:admin/xpack/security/api_key/query");
  });
});
