// The soak's counts (scripts/bench/truth.ts, soak-native.ts): what a cluster holds against what the states hold —
// keys and marked roles, per cluster by each resource's provider — and the search for key secrets in printed text.
import { describe, expect, it } from "vitest";
import type { AdminState } from "../../emulator";
import { resourcesOn, secretsIn } from "../../scripts/bench/soak-native";
import { countTruth, type StoredResource } from "../../scripts/bench/truth";

const MARK = "pulumi_elastic_keys_create";

function state(over: Partial<AdminState>): AdminState {
  return {
    now: 1_000,
    users: [],
    roles: [],
    apiKeys: [],
    agentPolicies: [],
    enrollmentKeys: [],
    spaces: [],
    ...over,
  };
}
const role = (name: string, mark?: string): AdminState["roles"][number] => ({
  name,
  reserved: false,
  descriptor: { cluster: [], metadata: mark ? { [MARK]: mark } : {} } as AdminState["roles"][number]["descriptor"],
});
const roleResource = (id: string): StoredResource => ({
  urn: `urn:x::elastic:index:ApmRole::${id}`,
  type: "elastic:index:ApmRole",
  id,
});

describe("countTruth: roles", () => {
  it("a marked role no state holds is live in no state; someone else's role is not counted", () => {
    const t = countTruth({
      state: state({ roles: [role("ours", "m1"), role("theirs")] }),
      stacks: [[]],
      preexisting: new Set(),
    });
    expect(t.liveInNoState).toBe(1);
    expect(t.markedRoles).toBe(1);
  });

  it("a role held by a resource, or by an unresolved create's or a journal's mark, is held", () => {
    const s = state({ roles: [role("a", "m1"), role("b", "m2"), role("c", "m3")] });
    const unresolved: StoredResource = {
      urn: "urn:x::elastic:index:ApmRole::b",
      type: "elastic:index:ApmRole",
      id: "unresolved-create:1",
      outputs: { __createMark: "m2" },
    };
    const t = countTruth({
      state: s,
      stacks: [[roleResource("a"), unresolved]],
      preexisting: new Set(),
      journalMarks: new Set(["m3"]),
    });
    expect(t.liveInNoState).toBe(0);
  });

  it("a role resource whose role is gone is in state but gone; one dropped while its role lives is counted", () => {
    const gone = countTruth({ state: state({}), stacks: [[roleResource("x")]], preexisting: new Set() });
    expect(gone.inStateButDead).toBe(1);
    const dropped = countTruth({
      state: state({ roles: [role("x", "m")] }),
      stacks: [[]],
      previous: [[roleResource("x")]],
      preexisting: new Set(),
    });
    expect(dropped.droppedWhileLive).toBe(1);
  });
});

describe("resourcesOn", () => {
  it("picks the resources whose provider's inputs name the cluster's URL", () => {
    const all: StoredResource[] = [
      {
        urn: "urn:p::a",
        id: "1",
        type: "pulumi:providers:elastic",
        inputs: { elasticsearchEndpoints: "http://127.0.0.1:1" },
      },
      {
        urn: "urn:p::b",
        id: "2",
        type: "pulumi:providers:elastic",
        inputs: { elasticsearchEndpoints: "http://127.0.0.1:2" },
      },
      { ...roleResource("on-a"), provider: "urn:p::a::1" },
      { ...roleResource("on-b"), provider: "urn:p::b::2" },
      // A port that merely begins with the other's is another cluster.
      {
        urn: "urn:p::c",
        id: "3",
        type: "pulumi:providers:elastic",
        inputs: { elasticsearchEndpoints: "http://127.0.0.1:12" },
      },
      { ...roleResource("on-c"), provider: "urn:p::c::3" },
    ];
    expect(resourcesOn(all, "http://127.0.0.1:1").map((r) => r.id)).toEqual(["on-a"]);
  });
});

describe("secretsIn", () => {
  const id = "AbCdEfGhIjKlMnOpQrSt";
  const emu = {
    admin: {
      state: () => state({ apiKeys: [{ id } as AdminState["apiKeys"][number]] }),
      isIssuedSecret: (c: string) => c === "the-secret-of-the-key-1",
    },
  } as never;

  it("finds an encoded key, an enrollment token's prefix and a raw secret; nothing in clean text", () => {
    const encoded = Buffer.from(`${id}:whatever`).toString("base64");
    expect(secretsIn(`x ${encoded} y`, [{ emu }])).toEqual([`encoded form of key ${id}`]);
    expect(secretsIn(`secret: the-secret-of-the-key-1.`, [{ emu }])).toHaveLength(1);
    expect(secretsIn(`id ${id} is fine, [secret] too`, [{ emu }])).toEqual([]);
  });
});

describe("resourcesOf", () => {
  it("reads `pulumi stack export`'s whole text and a deployment alone", async () => {
    const { resourcesOf } = await import("../../scripts/bench/truth");
    const r = { urn: "u", type: "t" };
    expect(resourcesOf(JSON.stringify({ version: 3, deployment: { resources: [r] } }))).toEqual([r]);
    expect(resourcesOf(JSON.stringify({ resources: [r] }))).toEqual([r]);
  });
});

describe("countTruth: Fleet keys a create journal holds", () => {
  it("an active Fleet key whose generated name a journal entry holds is held", async () => {
    const s = state({
      enrollmentKeys: [
        {
          id: "f1",
          api_key_id: "k1",
          name: "enroll-1a2b3c4d (f1)",
          active: true,
          policy_id: "p",
          created_at: "",
          hidden: false,
          namespaces: [],
        },
      ],
    });
    expect(countTruth({ state: s, stacks: [[]], preexisting: new Set() }).liveInNoState).toBe(1);
    const held = countTruth({
      state: s,
      stacks: [[]],
      preexisting: new Set(),
      journalFleetNames: new Set(["p/enroll-1a2b3c4d"]),
    });
    expect(held.liveInNoState).toBe(0);
  });
});
