import { z } from "zod";
import { describe, expect, it } from "vitest";
import { canonical, defineLifecycle, NAME_INPUT, sameValue, UNKNOWN } from "../../provider/lifecycle";

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
const lc = defineLifecycle({
  type: "Thing",
  schema,
  replaceOn: ["name"],
  create: async () => ({ id: "x", outs: {} }),
  read: async () => undefined,
  update: async () => ({}),
  delete: async () => {},
});

describe("generic lifecycle", () => {
  it("check normalises inputs (defaults, sorted sets) and keeps the logical name", async () => {
    const r = await lc.check({}, { name: "a", tags: ["b", "a", "b"], [NAME_INPUT]: "res" });
    expect(r.failures).toBeUndefined();
    expect(r.inputs).toEqual({ name: "a", tags: ["a", "b"], [NAME_INPUT]: "res" });
  });

  it("check failures name the field and the rule, and never set a property (so no value is printed)", async () => {
    const r = await lc.check({}, { name: "", tagz: [] });
    expect(r.failures).toEqual(
      expect.arrayContaining([
        { property: "", reason: "name: must not be empty" },
        expect.objectContaining({ reason: expect.stringMatching(/tagz/) }),
      ]),
    );
  });

  it("check skips rules on values still unknown at preview", async () => {
    const r = await lc.check({}, { name: UNKNOWN, tags: [UNKNOWN] });
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
    expect(await lc.read("x", { name: "a" })).toEqual({});
  });

  it("errors thrown by an operation name the resource", async () => {
    const failing = defineLifecycle({
      type: "Thing",
      schema,
      replaceOn: "all",
      create: async () => {
        throw new Error("boom");
      },
      read: async () => undefined,
      delete: async () => {},
    });
    await expect(failing.create({ name: "a", [NAME_INPUT]: "my-thing" })).rejects.toThrow(/^Thing "my-thing": boom/);
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
