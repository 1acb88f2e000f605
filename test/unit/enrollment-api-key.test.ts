// EnrollmentApiKey inputs, auto-naming and replacement rules. Requirement numbers refer to
// provider/resources/enrollment-api-key/SPEC.md.
import { describe, expect, it } from "vitest";
import { Connection } from "../../provider/elastic/connection";
import { NAME_INPUT } from "../../provider/framework/lifecycle";
import { enrollmentApiKeyLifecycle as lc } from "../../provider/resources/enrollment-api-key/lifecycle";

// Nothing listens there: the name check before a create (R10) cannot look, and leaves the decision to the create.
const conn = new Connection({
  config: {},
  env: {
    KIBANA_ENDPOINT: "http://127.0.0.1:1",
    KIBANA_USERNAME: "u",
    KIBANA_PASSWORD: "p",
    ELASTIC_KEYS_HTTP_BUDGET_MS: "0",
  },
});

type Props = Record<string, unknown>;
const GENERATED = /^agents-[0-9a-f]{8}$/;

async function check(news: Props, olds: Props = {}, logicalName = "agents") {
  return lc.check(conn, olds, { ...news, [NAME_INPUT]: logicalName });
}
async function inputs(news: Props, olds: Props = {}, logicalName = "agents"): Promise<Props> {
  const r = await check(news, olds, logicalName);
  expect(r.failures).toBeUndefined();
  return r.inputs!;
}
async function reasons(news: Props, olds: Props = {}, logicalName = "agents"): Promise<string[]> {
  const r = await check(news, olds, logicalName);
  expect((r.failures ?? []).every((f) => f.property === "")).toBe(true); // values are never printed
  return (r.failures ?? []).map((f) => f.reason);
}

describe("EnrollmentApiKey auto-naming (R3)", () => {
  it("names the key after the logical name plus a random suffix, and records the prefix", async () => {
    const r = await inputs({ policyId: "p1" });
    expect(r.name).toMatch(GENERATED);
    expect(r.namePrefix).toBe("agents");
  });

  it("keeps the generated name on the next up (old inputs present)", async () => {
    const first = await inputs({ policyId: "p1" });
    const second = await inputs({ policyId: "p1", rotationTrigger: "x" }, first);
    expect(second.name).toBe(first.name);
  });

  it("generates a new suffix when the engine re-checks a replacement (no old inputs)", async () => {
    const first = await inputs({ policyId: "p1" });
    const replacement = await inputs({ policyId: "p1", rotationTrigger: "x" });
    expect(replacement.name).toMatch(GENERATED);
    expect(replacement.name).not.toBe(first.name);
  });

  it("uses namePrefix instead of the logical name, and a new prefix gives a new name", async () => {
    const first = await inputs({ policyId: "p1", namePrefix: "edge" });
    expect(first.name).toMatch(/^edge-[0-9a-f]{8}$/);
    const renamed = await inputs({ policyId: "p1", namePrefix: "core" }, first);
    expect(renamed.name).toMatch(/^core-[0-9a-f]{8}$/);
  });

  it("keeps an explicit name as given, without a prefix", async () => {
    const r = await inputs({ policyId: "p1", name: "fleet servers" });
    expect(r).toMatchObject({ name: "fleet servers" });
    expect(r.namePrefix).toBeUndefined();
  });

  it("an auto-named key shows no change on a second up", async () => {
    const first = await inputs({ policyId: "p1" });
    const olds = { ...first, keyId: "k", apiKey: "secret" };
    expect(await lc.diff("k", olds, await inputs({ policyId: "p1" }, first))).toMatchObject({ changes: false });
  });

  it("a logical name that cannot start a key name is refused with a hint to set namePrefix", async () => {
    expect(await reasons({ policyId: "p1" }, {}, "_hidden")).toEqual([
      expect.stringMatching(/the logical name "_hidden" cannot start a generated key name.*set namePrefix/),
    ]);
    expect(await reasons({ policyId: "p1" }, {}, "x".repeat(209))).toHaveLength(1);
  });
});

describe("EnrollmentApiKey validation at preview (R1, R9)", () => {
  it.each([
    ["an empty policyId", { policyId: "" }, /^policyId: must not be empty/],
    ["a missing policyId", {}, /^policyId: is required/],
    ["an empty name", { policyId: "p", name: "" }, /^name: must not be empty/],
    ["a whitespace-padded name", { policyId: "p", name: " a" }, /^name: must not begin or end with whitespace/],
    ["a name starting with _", { policyId: "p", name: "_a" }, /^name: must not begin with an underscore/],
    ["a name over 217 characters", { policyId: "p", name: "x".repeat(218) }, /^name: is longer than the 217/],
    ["a namePrefix over 208 characters", { policyId: "p", namePrefix: "x".repeat(209) }, /^namePrefix: is longer/],
    ["both name and namePrefix", { policyId: "p", name: "a", namePrefix: "b" }, /name and namePrefix cannot both/],
    ["a bad space id", { policyId: "p", spaceId: "My Space" }, /^spaceId: must be a Kibana space id/],
  ])("refuses %s", async (_what, news, reason) => {
    expect(await reasons(news)).toEqual([expect.stringMatching(reason)]);
  });

  it("accepts a 217-character name (Fleet appends 39 characters, ES allows 256)", async () => {
    expect(await reasons({ policyId: "p", name: "x".repeat(217) })).toEqual([]);
  });
});

describe("EnrollmentApiKey replacement rules (R4, R5)", () => {
  const outs = { keyId: "k", apiKey: "secret", fleetName: "n (k)" };

  it("replaces on any input change, new key first", async () => {
    const olds = await inputs({ policyId: "p1" });
    for (const change of [{ policyId: "p2" }, { rotationTrigger: "r" }, { spaceId: "ops" }]) {
      const diff = await lc.diff("k", { ...olds, ...outs }, await inputs({ policyId: "p1", ...change }, olds));
      expect(diff).toMatchObject({ changes: true, deleteBeforeReplace: false });
      expect(diff.replaces?.length).toBeGreaterThan(0);
    }
  });

  it("refuses at preview a replacement that would reuse an explicit name on the same policy", async () => {
    const olds = await inputs({ policyId: "p1", name: "edge" });
    const r = await reasons({ policyId: "p1", name: "edge", rotationTrigger: "2027" }, olds);
    expect(r).toEqual([
      expect.stringMatching(/changing rotationTrigger replaces this enrollment key.*named "edge" on agent policy "p1"/),
    ]);
    expect(r[0]).toMatch(/Fleet keeps revoked keys/);
    expect(r[0]).toMatch(/namePrefix/);
  });

  it("allows a replacement with an explicit name when the name changes too, or the policy differs", async () => {
    const olds = await inputs({ policyId: "p1", name: "edge" });
    expect(await reasons({ policyId: "p1", name: "edge-2", rotationTrigger: "2027" }, olds)).toEqual([]);
    expect(await reasons({ policyId: "p2", name: "edge" }, olds)).toEqual([]);
  });

  it("allows switching from an explicit name to a generated one", async () => {
    const olds = await inputs({ policyId: "p1", name: "edge" });
    const news = await inputs({ policyId: "p1", namePrefix: "edge", rotationTrigger: "2027" }, olds);
    expect(news.name).toMatch(/^edge-[0-9a-f]{8}$/);
  });

  it("refuses switching a generated name to the same explicit name (it would collide with itself)", async () => {
    const olds = await inputs({ policyId: "p1" });
    expect(await reasons({ policyId: "p1", name: olds.name }, olds)).toEqual([
      expect.stringMatching(/Fleet keeps revoked keys/),
    ]);
  });
});
