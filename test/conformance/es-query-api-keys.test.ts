// _query/api_key (docs/elastic-api.md E.4; upstream api_key/20_query.yml, ported in part).
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { Harness, Reply, startHarness, userWithRole } from "../support/conformance";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
beforeEach(() => h.emulator.admin.reset());
afterAll(() => h.emulator.stop());

const names = (r: Reply): string[] =>
  Array.from({ length: r.body.api_keys.length }, (_, i) => String(r.body.api_keys[i].name));

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

  // Upstream: elastic/elasticsearch x-pack/plugin/security/src/main/java/org/elasticsearch/xpack/security/rest/action/
  // apikey/RestQueryApiKeyAction.java (search_after parsed with SearchAfterBuilder) and TransportQueryApiKeyAction,
  // which hands sort and search_after to an ordinary search: pages continue after the last _sort values, the total
  // stays the query's, and search_after without sort is a search failure ("Sort must contain at least one field.").
  test("search_after with sort pages on: the second page continues after the first", async () => {
    for (const name of ["k1", "k2", "k3", "k4", "k5"]) await h.es.post("/_security/api_key", { name });
    const first = await h.es.post("/_security/_query/api_key", { size: 2, sort: [{ name: "asc" }] });
    expect(names(first)).toEqual(["k1", "k2"]);
    const second = await h.es.post("/_security/_query/api_key", {
      size: 2,
      sort: [{ name: "asc" }],
      search_after: first.body.api_keys[1]._sort,
    });
    expect(second.body.total).toBe(5);
    expect(second.body.count).toBe(2);
    expect(names(second)).toEqual(["k3", "k4"]);
    const desc = await h.es.post("/_security/_query/api_key", {
      sort: [{ name: { order: "desc" } }],
      search_after: ["k3"],
    });
    expect(names(desc)).toEqual(["k2", "k1"]);
  });

  test("search_after without sort, with the wrong number of values, or with from is refused", async () => {
    await h.es.post("/_security/api_key", { name: "only" });
    const noSort = await h.es.post("/_security/_query/api_key", { search_after: ["only"] });
    expect(noSort.status).toBe(400);
    expect(noSort.body.error.type).toBe("search_phase_execution_exception");
    expect(noSort.body.error.root_cause[0]).toEqual({
      type: "illegal_argument_exception",
      reason: "Sort must contain at least one field.",
    });
    const tooMany = await h.es.post("/_security/_query/api_key", { sort: ["name"], search_after: ["a", "b"] });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.root_cause[0].reason).toBe("search_after has 2 value(s) but sort has 1.");
    const withFrom = await h.es.post("/_security/_query/api_key", { from: 1, sort: ["name"], search_after: ["a"] });
    expect(withFrom.status).toBe(400);
    expect(withFrom.text).toContain("`from` parameter must be set to 0 when `search_after` is used");
  });

  test("a negative from or size is a validation failure", async () => {
    const r = await h.es.post("/_security/_query/api_key", { from: -1, size: -2 });
    expect(r.status).toBe(400);
    expect(r.body.error.reason).toBe(
      "Validation Failed: 1: [from] parameter cannot be negative but was [-1];2: [size] parameter cannot be negative but was [-2];",
    );
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
