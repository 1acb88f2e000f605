import { mkdtempSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { Connection } from "../../provider/elastic/connection";
import { UNRESOLVED_PREFIX, type Leftover } from "../../provider/framework/create-and-reconcile";
import { ElasticKeysError } from "../../provider/elastic/errors";
import { CLUSTER_INPUT } from "../../provider/framework/cluster-record";
import {
  canonical,
  defineLifecycle,
  MARK_INPUT,
  NAME_INPUT,
  sameValue,
  UNKNOWN,
  type ResourceDefinition,
} from "../../provider/framework/lifecycle";

const conn = new Connection({
  config: {},
  env: {
    ELASTICSEARCH_ENDPOINTS: "http://es:9200",
    ELASTICSEARCH_API_KEY: "k",
    ELASTIC_KEYS_JOURNAL_DIR: mkdtempSync(path.join(os.tmpdir(), "pek-journal-")),
  },
});
// No server answers here: the service counts as having answered at its URL (service-proof.ts), so creates go ahead.
conn.factsAbout(conn.elasticsearch()).serviceProven = Promise.resolve();
const CLUSTER = { [CLUSTER_INPUT]: "http://es:9200" };

const schema = z
  .object({
    name: z.string().min(1, "must not be empty"),
    tags: z
      .array(z.string())
      .default([])
      .transform((t) => [...new Set(t)].sort()),
    note: z.string().optional(),
  })
  .strict();
type Thing = z.infer<typeof schema>;
const thing = (over: Partial<ResourceDefinition<Thing, Record<string, unknown>, "Thing">> = {}) =>
  defineLifecycle<Thing, Record<string, unknown>, "Thing">({
    type: "Thing",
    description: "a thing",
    outputs: {},
    schema,
    replaceOn: ["name"],
    target: (c) => c.elasticsearch(),
    insteadOfImport: "create it anew",
    example: ({ name }) => ({ name }),
    create: async () => ({ id: "x", outs: {} }),
    read: async () => undefined,
    update: async () => ({}),
    delete: async () => {},
    unresolvedLeftovers: async () => [],
    ...over,
  });
const lc = thing();

describe("generic lifecycle", () => {
  it("a definition may leave out its outputs, replace rule and import advice: none, every change replaces, the default advice", async () => {
    const minimal = defineLifecycle<Thing, Record<string, unknown>, "Thing">({
      type: "Thing",
      description: "a thing",
      schema,
      example: ({ name }) => ({ name }),
      target: (c) => c.elasticsearch(),
      create: async () => ({ id: "x", outs: {} }),
      read: async () => undefined,
      delete: async () => {},
      unresolvedLeftovers: async () => [],
    });
    expect(minimal.definition.outputs).toEqual({});
    expect(await minimal.diff("x", { name: "a", tags: [] }, { name: "a", tags: ["t"] })).toMatchObject({
      replaces: ["tags"],
    });
    expect(minimal.definition.insteadOfImport).toMatch(/native plugin/);
  });

  it("check normalises inputs (defaults, sorted sets) and keeps the logical name", async () => {
    const r = await lc.check(conn, {}, { name: "a", tags: ["b", "a", "b"], [NAME_INPUT]: "res" });
    expect(r.failures).toBeUndefined();
    expect(r.inputs).toEqual({ name: "a", tags: ["a", "b"], [NAME_INPUT]: "res", ...CLUSTER });
  });

  it("check failures name the field and the rule, and never set a property (so no value is printed)", async () => {
    const r = await lc.check(conn, {}, { name: "", tagz: [] });
    expect(r.failures).toEqual(
      expect.arrayContaining([
        { property: "", reason: "name: must not be empty" },
        expect.objectContaining({ reason: expect.stringMatching(/tagz/) }),
      ]),
    );
  });

  it("check skips rules on values still unknown at preview", async () => {
    const r = await lc.check(conn, {}, { name: UNKNOWN, tags: [UNKNOWN] });
    expect(r.failures).toBeUndefined();
  });

  it("diff: no change for reordered sets, update for a plain field, replace for a replaceOn field, changes for unknowns", async () => {
    const olds = { name: "a", tags: ["a", "b"], id: "x", secret: "s" };
    expect(await lc.diff("x", olds, { name: "a", tags: ["a", "b"] })).toMatchObject({ changes: false });
    expect(await lc.diff("x", olds, { name: "a", tags: ["a", "b"], note: "n" })).toMatchObject({
      changes: true,
      replaces: [],
    });
    expect(await lc.diff("x", olds, { name: "b", tags: ["a", "b"] })).toMatchObject({
      changes: true,
      replaces: ["name"],
      deleteBeforeReplace: false,
    });
    expect(await lc.diff("x", olds, { name: UNKNOWN, tags: ["a", "b"] })).toMatchObject({
      changes: true,
      replaces: ["name"],
    });
  });

  it("read of a gone object returns no id, so the engine drops it from state", async () => {
    expect(await lc.read(conn, "x", { name: "a" })).toEqual({});
  });

  it("errors thrown by an operation name the resource", async () => {
    const failing = thing({
      create: async () => {
        throw new Error("boom");
      },
    });
    await expect(failing.create(conn, { name: "a", [NAME_INPUT]: "my-thing" })).rejects.toThrow(
      /^Thing "my-thing": boom/,
    );
  });

  it("the import option (set by the dynamic SDK as a hidden input) fails check with what to do instead", async () => {
    const r = await lc.check(conn, {}, { name: "a", __importId: "existing" });
    expect(r.failures).toEqual([
      { property: "", reason: expect.stringMatching(/`import` resource option is not supported[\s\S]*create it anew/) },
    ]);
  });

  it("check passes a definition's warnings on, labelled with the resource; a warning that fails is dropped", async () => {
    const warned = thing({ warnings: (_c, i) => (i.tags.includes("odd") ? ["tag odd is unusual"] : []) });
    expect(await warned.check(conn, {}, { name: "a", tags: ["odd"], [NAME_INPUT]: "w" })).toMatchObject({
      warnings: ['Thing "w": tag odd is unusual'],
    });
    expect((await warned.check(conn, {}, { name: "a", [NAME_INPUT]: "w" })).warnings).toBeUndefined();
    const failing = thing({ warnings: async () => Promise.reject(new Error("unreachable")) });
    expect(await failing.check(conn, {}, { name: "a", [NAME_INPUT]: "w" })).toMatchObject({ inputs: { name: "a" } });
  });

  it("a missing setting fails check, naming the setting", async () => {
    const r = await thing().check(new Connection({ config: {}, env: {} }), {}, { name: "a" });
    expect(r.failures?.[0].reason).toMatch(/no Elasticsearch endpoint is configured[\s\S]*ELASTICSEARCH_ENDPOINTS/);
  });
});

describe("the cluster a resource lives on (cluster-record)", () => {
  const on = (endpoints: string, frontEnd: "dynamic" | "plugin" = "dynamic") =>
    new Connection({
      config: { elasticsearchEndpoints: endpoints, elasticsearchApiKey: "k" },
      env: { ELASTIC_KEYS_JOURNAL_DIR: conn.source.env.ELASTIC_KEYS_JOURNAL_DIR },
      origin: { frontEnd },
    });
  const calls: string[] = [];
  const recording = thing({
    replaceOn: "all",
    update: undefined,
    read: async () => (calls.push("read"), {}),
    delete: async () => void calls.push("delete"),
  });

  it("check records the connection's cluster, normalised (lower-case host, explicit port, no trailing slash)", async () => {
    const r = await recording.check(on("http://ES:9200/, https://b.example"), {}, { name: "a" });
    expect(r.inputs?.[CLUSTER_INPUT]).toBe("http://es:9200,https://b.example:443");
  });

  it("a change of cluster is refused at check by the dynamic resources, and replaces through the plugin", async () => {
    const olds = { name: "a", tags: [], [CLUSTER_INPUT]: "http://a:9200" };
    const refused = await recording.check(on("http://b:9200"), olds, { name: "a", [NAME_INPUT]: "r" });
    expect(refused.failures?.[0].reason).toMatch(
      /lives on http:\/\/a:9200, but the settings now name http:\/\/b:9200[\s\S]*back to http:\/\/a:9200[\s\S]*native plugin/,
    );
    const moved = (await recording.check(on("http://b:9200", "plugin"), olds, { name: "a" })).inputs!;
    expect(await recording.diff("x", olds, moved)).toMatchObject({ replaces: [CLUSTER_INPUT] });
  });

  it("a node added or removed is the same cluster: the record is updated, nothing replaced, nothing sent", async () => {
    const olds = { name: "a", tags: [], [CLUSTER_INPUT]: "http://a:9200,http://b:9200" };
    const news = (await recording.check(on("http://b:9200,http://c:9200"), olds, { name: "a" })).inputs!;
    expect(await recording.diff("x", olds, news)).toMatchObject({
      changes: true,
      replaces: [],
      changed: [CLUSTER_INPUT],
    });
    calls.length = 0;
    const { outs } = await recording.update(on("http://c:9200"), "x", { ...olds, out: 1 }, news);
    expect(outs).toEqual({ name: "a", tags: [], out: 1, [CLUSTER_INPUT]: "http://b:9200,http://c:9200" });
    expect(calls).toEqual([]);
  });

  it("state without a record gets one at the next up, without a replacement, even for a replace-only type", async () => {
    const olds = { name: "a", tags: [] };
    const news = (await recording.check(on("http://a:9200"), olds, { name: "a" })).inputs!;
    expect(await recording.diff("x", olds, news)).toMatchObject({ changes: true, replaces: [] });
    expect((await recording.update(on("http://a:9200"), "x", olds, news)).outs[CLUSTER_INPUT]).toBe("http://a:9200");
  });

  it("read and delete on another cluster are refused as undecidable, sending nothing", async () => {
    const props = { name: "a", tags: [], [CLUSTER_INPUT]: "http://a:9200" };
    calls.length = 0;
    for (const op of [
      () => recording.read(on("http://b:9200"), "x", props),
      () => recording.delete(on("http://b:9200"), "x", props),
    ])
      await expect(op()).rejects.toMatchObject({ code: "undecidable" });
    expect(calls).toEqual([]);
    await recording.delete(on("http://A:9200/"), "x", props);
    expect(calls).toEqual(["delete"]);
  });

  it("a refused credential's advice fits the front end", async () => {
    const refused = thing({
      read: async () => {
        throw new ElasticKeysError("unauthorized", "refused", { fix: "check the credential" });
      },
    });
    const advice = async (origin: object) =>
      refused
        .read(new Connection({ ...on("http://a:9200").source, origin: origin as never }), "x", {})
        .catch((e: Error) => e.message);
    expect(await advice({ frontEnd: "dynamic" })).toMatch(/--run-program/);
    expect(await advice({ frontEnd: "plugin", stackConfigured: true })).toMatch(/current elastic:\* stack config/);
    expect(await advice({ frontEnd: "plugin" })).not.toMatch(/--run-program/);
  });
});

describe("create marks (create-and-reconcile)", () => {
  const marked = thing({ marked: true });

  it("a create gets a fresh random mark; an update keeps the old one; a replacement (no old inputs) gets a new one", async () => {
    const first = (await marked.check(conn, {}, { name: "a" })).inputs!;
    expect(first[MARK_INPUT]).toMatch(/^[0-9a-f-]{36}$/);
    const kept = (await marked.check(conn, first, { name: "a", note: "n" })).inputs!;
    expect(kept[MARK_INPUT]).toBe(first[MARK_INPUT]);
    const replaced = (await marked.check(conn, {}, { name: "b" })).inputs!;
    expect(replaced[MARK_INPUT]).not.toBe(first[MARK_INPUT]);
  });

  it("the mark never shows as a diff", async () => {
    expect(
      await marked.diff("x", { name: "a", tags: [], [MARK_INPUT]: "m1" }, { name: "a", tags: [], [MARK_INPUT]: "m2" }),
    ).toMatchObject({ changes: false });
  });

  it("an unresolved create keeps its inputs and mark in state (partial state), and the next up replaces it", async () => {
    const unresolved = thing({
      marked: true,
      create: async () => {
        throw new ElasticKeysError("outcome_unknown", "lost", {
          partialState: { id: `${UNRESOLVED_PREFIX}m1`, outs: { owner: "me" } },
        });
      },
    });
    const err = (await unresolved
      .create(conn, { name: "a", tags: [], [MARK_INPUT]: "m1", [NAME_INPUT]: "t" })
      .catch((e: unknown) => e)) as ElasticKeysError;
    expect(err.details.partialState).toEqual({
      id: `${UNRESOLVED_PREFIX}m1`,
      outs: { name: "a", tags: [], owner: "me", [MARK_INPUT]: "m1", [NAME_INPUT]: "t" },
    });
    expect(await unresolved.diff(`${UNRESOLVED_PREFIX}m1`, { name: "a", tags: [] }, { name: "a", tags: [] })).toEqual({
      changes: true,
      replaces: ["__unresolvedCreate"],
      deleteBeforeReplace: false,
      changed: ["__unresolvedCreate"],
    });
  });

  it("createOutcome hands the front ends a value: created, or the partial state with why; other failures still throw", async () => {
    const inputs = { name: "a", tags: [], [MARK_INPUT]: "m1", [NAME_INPUT]: "t" };
    const unresolved = thing({
      marked: true,
      create: async () => {
        throw new ElasticKeysError("outcome_unknown", "lost", {
          partialState: { id: `${UNRESOLVED_PREFIX}m1`, outs: { owner: "me" } },
        });
      },
    });
    const outcome = await unresolved.createOutcome(conn, inputs);
    expect(outcome.partial).toEqual({
      id: `${UNRESOLVED_PREFIX}m1`,
      outs: { name: "a", tags: [], owner: "me", [MARK_INPUT]: "m1", [NAME_INPUT]: "t" },
    });
    expect(outcome.error?.code).toBe("outcome_unknown");
    const created = await thing({ marked: true }).createOutcome(conn, inputs);
    expect(created.created?.id).toBeDefined();
    const refused = thing({
      marked: true,
      create: async () => {
        throw new ElasticKeysError("forbidden", "no");
      },
    });
    await expect(refused.createOutcome(conn, inputs)).rejects.toThrow("no");
  });

  it("refresh keeps an unresolved create while something it made is live, and drops it once nothing is", async () => {
    let left: Leftover<{ id: string }>[] = [{ id: "k1", discard: async () => {} }];
    const unresolved = thing({ unresolvedLeftovers: async () => left });
    const props = { name: "a", [MARK_INPUT]: "m1" };
    expect(await unresolved.read(conn, `${UNRESOLVED_PREFIX}m1`, props)).toEqual({
      id: `${UNRESOLVED_PREFIX}m1`,
      props,
    });
    left = [];
    expect(await unresolved.read(conn, `${UNRESOLVED_PREFIX}m1`, props)).toEqual({});
  });

  it("destroying an unresolved create discards everything it made, and only that", async () => {
    const discarded: string[] = [];
    const normalDeletes: string[] = [];
    const unresolved = thing({
      unresolvedLeftovers: async () =>
        ["k1", "k2"].map((id) => ({ id, adoptable: { id }, discard: async () => void discarded.push(id) })),
      delete: async (_c, id) => void normalDeletes.push(id),
    });
    await unresolved.delete(conn, `${UNRESOLVED_PREFIX}m1`, { name: "a" });
    expect(discarded).toEqual(["k1", "k2"]);
    expect(normalDeletes).toEqual([]);
  });
});

describe("sameValue: what comparing canonical strings means, without the strings", () => {
  const cases: [unknown, unknown][] = [
    [
      { a: 1, b: [1, { c: "x", d: null }] },
      { b: [1, { d: null, c: "x" }], a: 1 },
    ],
    [{ a: 1, b: undefined }, { a: 1 }],
    [
      [1, 2],
      [2, 1],
    ],
    [{ a: [] }, { a: {} }],
    [{ a: "1" }, { a: 1 }],
    [{ a: null }, {}],
    [undefined, undefined],
    [undefined, null],
    ["x", "x"],
    [{ a: { b: 1 } }, { a: { b: 1, c: 2 } }],
  ];
  it.each(cases)("%j vs %j", (a, b) => {
    expect(sameValue(a, b)).toBe(canonical(a) === canonical(b));
    expect(sameValue(b, a)).toBe(canonical(a) === canonical(b));
  });
  it("tells order in arrays but not in objects", () => {
    expect(sameValue({ x: 1, y: 2 }, { y: 2, x: 1 })).toBe(true);
    expect(sameValue([1, 2], [2, 1])).toBe(false);
  });
});
