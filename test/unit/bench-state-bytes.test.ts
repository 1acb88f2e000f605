// What the bench reports each resource type keeps in state (scripts/bench/state-bytes.ts): an entry's bytes split
// into inputs, outputs, secret ciphertext, the dynamic provider's `__provider` and what the engine adds.
import { describe, expect, test } from "vitest";
import { bytesPerType, entryBytes, formatBytesPerType } from "../../scripts/bench/state-bytes";

const SIG = "4dabf18193072939515e22adb298388d";
const secret = (ciphertext: string) => ({ [SIG]: "1b47061264138c4ac30d75fd1eb44270", ciphertext });
const len = (v: unknown) => JSON.stringify(v).length;

const key = (i: number, provider?: string) => ({
  urn: `urn:pulumi:s::p::elastic:index:ApmAgentKey::agent-${i}`,
  custom: true,
  id: `id-${i}`,
  type: "elastic:index:ApmAgentKey",
  inputs: { name: `k${i}`, ...(provider ? { __provider: provider } : {}) },
  outputs: { name: `k${i}`, apiKey: secret("c".repeat(40 + i)), ...(provider ? { __provider: provider } : {}) },
  created: "2026-01-01T00:00:00Z",
});

describe("bytes in state per resource type", () => {
  test("an entry splits into inputs, outputs, secrets, __provider and the engine's part, which add up", () => {
    const entry = key(0, "p".repeat(300));
    const b = entryBytes(entry);
    expect(b.total).toBe(len(entry));
    expect(b.provider).toBe(2 * len("p".repeat(300)));
    expect(b.secrets).toBe(len(secret("c".repeat(40))));
    expect(b.inputs).toBe(len(entry.inputs) - len("p".repeat(300)));
    expect(b.outputs).toBe(len(entry.outputs) - len("p".repeat(300)) - b.secrets);
    expect(b.inputs + b.outputs + b.secrets + b.provider + b.engine).toBe(b.total);
    expect(b.engine).toBeGreaterThan(len(entry.urn));
  });

  test("a native entry has no __provider; secrets nested in lists and objects are counted", () => {
    const entry = { type: "elastic:index:X", inputs: {}, outputs: { list: [{ deep: secret("abc") }] } };
    expect(entryBytes(key(1)).provider).toBe(0);
    expect(entryBytes(entry).secrets).toBe(len(secret("abc")));
  });

  test("the export's entries are averaged per type; the stack and provider entries are left out", () => {
    const exported = JSON.stringify({
      deployment: {
        resources: [
          { urn: "s", type: "pulumi:pulumi:Stack", outputs: { big: "x".repeat(1000) } },
          { urn: "p", type: "pulumi:providers:elastic", inputs: { big: "x".repeat(1000) } },
          key(1),
          key(3),
          { ...key(2), type: "pulumi-nodejs:dynamic/elastic:ApmRole" },
        ],
      },
    });
    const figures = bytesPerType(exported);
    expect(Object.keys(figures)).toEqual(["ApmAgentKey", "ApmRole"]);
    expect(figures.ApmAgentKey.total).toBe(Math.round((len(key(1)) + len(key(3))) / 2));
    expect(figures.ApmAgentKey.secrets).toBe(
      Math.round((len(secret("c".repeat(41))) + len(secret("c".repeat(43)))) / 2),
    );
    // A bare deployment (what the bench's exportText returns) reads the same.
    expect(bytesPerType(JSON.stringify(JSON.parse(exported).deployment))).toEqual(figures);
    expect(formatBytesPerType(figures)[0]).toMatch(
      /^ApmAgentKey \d+ B \(inputs \d+, outputs \d+, secrets \d+, __provider 0, engine \d+\)$/,
    );
  });
});
