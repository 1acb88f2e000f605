// CrossClusterApiKey inputs, canonical access and diff rules. Requirement numbers refer to
// provider/resources/cross-cluster-api-key/SPEC.md, section codes to docs/elastic-api.md.
import { describe, expect, it } from "vitest";
import { Connection } from "../../provider/elastic/connection";
import { MARK_INPUT, NAME_INPUT } from "../../provider/framework/lifecycle";
import {
  accessFromWire,
  accessToWire,
  crossClusterAccess,
} from "../../provider/resources/cross-cluster-api-key/access";
import { durationProblem } from "../../provider/resources/shared/duration";
import { crossClusterApiKeyLifecycle as lc } from "../../provider/resources/cross-cluster-api-key/lifecycle";

const conn = new Connection({
  config: {},
  env: { ELASTICSEARCH_ENDPOINTS: "http://127.0.0.1:1", ELASTICSEARCH_USERNAME: "u", ELASTICSEARCH_PASSWORD: "p" },
});

const base = { name: "cc", access: { search: [{ names: ["logs*"] }] }, [NAME_INPUT]: "cc" };

async function reasons(news: Record<string, unknown>): Promise<string[]> {
  const r = await lc.check(conn, {}, { ...news, [NAME_INPUT]: "cc" });
  expect((r.failures ?? []).every((f) => f.property === "")).toBe(true); // values are never printed
  return (r.failures ?? []).map((f) => f.reason);
}

describe("CrossClusterApiKey canonical access (R3)", () => {
  it("fills the server's defaults, turns a single name into a list and sorts names, fields and entries", () => {
    const a = crossClusterAccess.parse({
      search: [
        { names: "metrics-*" },
        { names: ["logs-b", "logs-a", "logs-a"], fieldSecurity: { grant: ["b", "a"], except: [] } },
      ],
    });
    expect(a).toEqual({
      search: [
        { names: ["logs-a", "logs-b"], allowRestrictedIndices: false, fieldSecurity: { grant: ["a", "b"] } },
        { names: ["metrics-*"], allowRestrictedIndices: false },
      ],
      replication: [],
    });
  });

  it("stores a query given as an object or as a JSON string in the same compact form", () => {
    const asObject = crossClusterAccess.parse({ search: [{ names: "x", query: { term: { b: 1, a: "s" } } }] });
    const asString = crossClusterAccess.parse({ search: [{ names: "x", query: '{ "term": {"a":"s", "b": 1} }' }] });
    expect(asObject).toEqual(asString);
    expect(asObject.search[0].query).toBe('{"term":{"a":"s","b":1}}');
  });

  it("reads the server's form back (C.3: defaults added, query as a string, names as arrays) without a diff", () => {
    const inputs = crossClusterAccess.parse({
      search: [
        { names: ["logs*"], query: { term: { category: "shared" } }, fieldSecurity: { grant: ["*"], except: ["x"] } },
      ],
    });
    const server = {
      search: [
        {
          names: ["logs*"],
          field_security: { grant: ["*"], except: ["x"] },
          query: '{"term":{"category":"shared"}}',
          allow_restricted_indices: false,
        },
      ],
    };
    expect(accessFromWire(server)).toEqual(inputs);
    expect(accessFromWire(accessToWire(inputs))).toEqual(inputs);
  });

  it("sends the query as an object and leaves out empty lists (C.1)", () => {
    const wire = accessToWire(crossClusterAccess.parse({ replication: [{ names: "a" }] }));
    expect(wire).toEqual({ replication: [{ names: ["a"], allow_restricted_indices: false }] });
    const withQuery = accessToWire(crossClusterAccess.parse({ search: [{ names: "a", query: '{"match_all":{}}' }] }));
    expect(withQuery.search?.[0].query).toEqual({ match_all: {} });
  });

  it("an out-of-band change read back differs from the inputs (so refresh shows it, R7)", () => {
    const inputs = crossClusterAccess.parse({ search: [{ names: ["logs*"] }] });
    expect(accessFromWire({ search: [{ names: ["logs*", "secrets"], allow_restricted_indices: false }] })).not.toEqual(
      inputs,
    );
  });
});

describe("CrossClusterApiKey validation at preview (R10)", () => {
  it("accepts a minimal key and defaults metadata to {}", async () => {
    const r = await lc.check(conn, {}, base);
    expect(r.failures).toBeUndefined();
    expect(r.inputs).toMatchObject({ name: "cc", metadata: {} });
  });

  it.each([
    ["empty", "", /name: must not be empty/],
    ["whitespace-padded", " cc ", /name: must not begin or end with whitespace/],
    ["starting with _", "_cc", /name: must not begin with an underscore/],
    ["over 256 characters", "x".repeat(257), /name: is longer than the 256 characters/],
  ])("refuses a name that is %s", async (_what, name, reason) => {
    expect(await reasons({ ...base, name })).toEqual([expect.stringMatching(reason)]);
  });

  it("refuses access with neither search nor replication", async () => {
    expect(await reasons({ ...base, access: {} })).toEqual([expect.stringMatching(/^access: must give at least one/)]);
    expect(await reasons({ ...base, access: { search: [], replication: [] } })).toHaveLength(1);
  });

  it("refuses an entry with an empty names list", async () => {
    expect(await reasons({ ...base, access: { search: [{ names: [] }] } })).toEqual([
      expect.stringMatching(/^access\.search\.0\.names: must list at least one index/),
    ]);
    expect(await reasons({ ...base, access: { replication: [{ names: [] }] } })).toHaveLength(1);
  });

  it("refuses query or fieldSecurity in a replication entry", async () => {
    const r = await reasons({
      ...base,
      access: { replication: [{ names: ["a"], query: { match_all: {} }, fieldSecurity: { grant: ["*"] } }] },
    });
    expect(r).toEqual([
      expect.stringMatching(/^access\.replication\.0\.query: .*replication does not support document or field/),
      expect.stringMatching(/^access\.replication\.0\.fieldSecurity: /),
    ]);
  });

  it("refuses query or fieldSecurity in a search entry while replication is also granted (8.14+)", async () => {
    const r = await reasons({
      ...base,
      access: { search: [{ names: ["a"], query: { match_all: {} } }], replication: [{ names: ["b"] }] },
    });
    expect(r).toEqual([expect.stringMatching(/^access\.search\.0\.query: .*if replication is assigned/)]);
  });

  it("refuses a query that is not a JSON object", async () => {
    expect(await reasons({ ...base, access: { search: [{ names: ["a"], query: "not json" }] } })).toEqual([
      expect.stringMatching(/query: must be a query object/),
    ]);
  });

  it.each([
    ["1w", /unrecognised unit/],
    ["1.5d", /fractional durations are not supported/],
    ["-5d", /negative durations are not supported/],
    ["7", /unrecognised unit/],
    ["5M", /unrecognised unit/],
  ])("refuses expiration %s like Elasticsearch (C.6)", async (expiration, reason) => {
    expect(await reasons({ ...base, expiration })).toEqual([expect.stringMatching(reason)]);
  });

  it.each(["30d", "1 d", "12h", "90m", "60000ms", "60S", "1m", "365000d", "60000000000nanos", "90000000micros"])(
    "accepts expiration %s",
    (expiration) => expect(durationProblem(expiration)).toBeUndefined(),
  );

  it.each([
    ["0", /expired at birth/],
    ["0d", /too short: the lifetime must be from "1m" \(one minute\) to "365000d" \(1000 years\)/],
    ["-1", /expired at birth/],
    ["59s", /too short/],
    ["5nanos", /too short/],
    ["365001d", /too long: the lifetime must be from "1m"/],
    ["999999999d", /too long/],
  ])(
    "refuses expiration %s, which would make a useless key or an expiry no date can hold",
    async (expiration, reason) => {
      expect(await reasons({ ...base, expiration })).toEqual([expect.stringMatching(reason)]);
    },
  );

  it("never echoes the expiration value in its failure (it may be a secret)", async () => {
    for (const expiration of ["s3cr3t-value-d", "999999999d", "1.5d", "-12345d"]) {
      const all = (await reasons({ ...base, expiration })).join("\n");
      expect(all).not.toContain(expiration);
    }
  });

  it("refuses the metadata key the provider marks its creates with", async () => {
    expect(await reasons({ ...base, metadata: { pulumi_elastic_keys_create: "x" } })).toEqual([
      expect.stringMatching(/must not hold "pulumi_elastic_keys_create"/),
    ]);
  });

  it("counts name length in UTF-16 code units, as Elasticsearch does (200 emoji are 400 units)", async () => {
    expect(await reasons({ ...base, name: "😀".repeat(200) })).toEqual([
      expect.stringMatching(/^name: is longer than the 256 characters \(UTF-16 code units\)/),
    ]);
    expect(await reasons({ ...base, name: "😀".repeat(128) })).toEqual([]);
  });

  it("refuses a metadata key starting with _", async () => {
    expect(await reasons({ ...base, metadata: { _reserved: 1 } })).toEqual([
      expect.stringMatching(/^metadata: keys must not start with "_"/),
    ]);
  });

  it("refuses unknown fields, so a typo is an error", async () => {
    expect(await reasons({ ...base, acess: {} })).toEqual([expect.stringMatching(/acess/)]);
  });
});

describe("CrossClusterApiKey diff rules (R4, R5)", () => {
  async function checked(news: Record<string, unknown>) {
    const r = await lc.check(conn, {}, { ...base, ...news });
    return r.inputs!;
  }
  const outs = { keyId: "k", apiKey: "secret", encoded: "enc" };

  it("shows no change for reordered or re-spelled access", async () => {
    const olds = { ...(await checked({ access: { search: [{ names: ["b", "a"] }, { names: "c" }] } })), ...outs };
    const news = await checked({
      access: { search: [{ names: "c", allowRestrictedIndices: false }, { names: ["a", "b"] }] },
    });
    expect(await lc.diff("k", olds, news)).toMatchObject({ changes: false });
  });

  it("updates access and metadata in place", async () => {
    const olds = { ...(await checked({})), ...outs };
    expect(await lc.diff("k", olds, await checked({ access: { replication: [{ names: "a" }] } }))).toMatchObject({
      changes: true,
      replaces: [],
    });
    expect(await lc.diff("k", olds, await checked({ metadata: { team: "x" } }))).toMatchObject({
      changes: true,
      replaces: [],
    });
  });

  it.each([
    ["name", { name: "other" }],
    ["expiration", { expiration: "30d" }],
    ["rotationTrigger", { rotationTrigger: "2027" }],
  ])("replaces the key when %s changes, new key first", async (field, change) => {
    const olds = { ...(await checked({})), ...outs };
    expect((olds as Record<string, unknown>)[MARK_INPUT]).toBeDefined();
    expect(await lc.diff("k", olds, await checked(change))).toEqual({
      changes: true,
      replaces: [field],
      deleteBeforeReplace: false,
      changed: [field],
    });
  });
});
