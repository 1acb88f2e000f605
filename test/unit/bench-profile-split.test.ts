// Where a provider process's CPU goes (scripts/bench/profile-split.ts): samples given to the code they ran and, by
// time, to the gRPC calls in flight; and a process's CPU read from /proc/<pid>/stat.
import { describe, expect, test } from "vitest";
import {
  codeOf,
  parseProcStat,
  scaleSplit,
  splitProfile,
  sumSplits,
  type CpuProfile,
} from "../../scripts/bench/profile-split";

const ZOD = "file:///p/node_modules/zod/v4/core/schemas.js";
const LIFECYCLE = "file:///p/dist/provider/framework/lifecycle.js";

/** root → lifecycle `check` → zod parse → a Node internal; root → (idle); root → module loading. */
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: { functionName: "(root)", url: "" }, children: [2, 5, 6] },
    { id: 2, callFrame: { functionName: "check", url: LIFECYCLE }, children: [3] },
    { id: 3, callFrame: { functionName: "parse", url: ZOD }, children: [4] },
    { id: 4, callFrame: { functionName: "push", url: "node:internal/fixed_queue" } },
    { id: 5, callFrame: { functionName: "(idle)", url: "" } },
    { id: 6, callFrame: { functionName: "Module._load", url: "node:internal/modules/cjs/loader" }, children: [7] },
    { id: 7, callFrame: { functionName: "readFileSync", url: "node:fs" } },
  ],
  // Samples 10 ms apart from epoch 1000: t = 1010 … 1060; each gets the gap to the next one.
  samples: [4, 3, 5, 7, 2, 2],
  timeDeltas: [10_000, 10_000, 10_000, 10_000, 10_000, 10_000],
  epochStartMs: 1000,
};

describe("bench profile split", () => {
  test("samples count to the innermost code outside Node's own; module loading and idle apart", () => {
    const s = splitProfile(profile);
    expect(s.busyMs).toBe(40); // 5 busy samples, the last one has no gap after it
    expect(s.byCode).toEqual({ zod: 20, "module loading": 10, "ours: provider": 10 });
    expect(codeOf("x", "file:///a/node_modules/@grpc/grpc-js/build/src/server.js")).toBe("grpc");
    expect(codeOf("x", "file:///a/node_modules/@pulumi/pulumi/proto/provider_pb.js")).toBe("protobuf");
    expect(codeOf("x", "file:///a/node_modules/pulumi-elastic-keys/dist/plugin/server.js")).toBe("ours: plugin");
  });

  test("a sample's time is shared among the calls in flight then", () => {
    const s = splitProfile(profile, [
      ["/pulumirpc.ResourceProvider/Check", 1005, 1025],
      ["/pulumirpc.ResourceProvider/Create", 1015, 1055],
    ]);
    // t=1010: Check only (10 ms); t=1020: Check and Create (5 each); t=1040, 1050: Create; t=1060: none (0 ms).
    expect(s.byOperation).toEqual({ Create: 25, Check: 15, "no call in flight": 0 });
    expect(sumSplits([s, s]).busyMs).toBe(80);
    // Shares kept, total from the process's own CPU count (a busy machine stretches the sampled wall time).
    expect(scaleSplit(s, 20)).toEqual({
      busyMs: 20,
      byCode: { zod: 10, "module loading": 5, "ours: provider": 5 },
      byOperation: { Create: 13, Check: 8, "no call in flight": 0 },
    });
  });

  test("/proc/<pid>/stat: name (spaces and parentheses allowed), parent and user + system ticks", () => {
    const stat = "4242 (node (x) y) S 17 4242 4242 0 -1 4194560 900 0 0 0 123 45 0 0 20 0 11 0 555 0 0";
    expect(parseProcStat(stat)).toEqual({ comm: "node (x) y", ppid: 17, cpuTicks: 168 });
  });
});
