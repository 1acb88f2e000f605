// Running one Pulumi operation of a bench or soak stack and measuring it against the emulator's request log.
import { performance } from "node:perf_hooks";
import type { Emulator, RequestLogEntry } from "../../emulator";
import type { TestStack } from "../lib/stack";
import { countByRoute, isWrite, type Goal } from "./figures";

/** `pulumi up/preview/refresh/destroy --parallel` default of the CLI in use (3.259). */
export const ENGINE_PARALLELISM = 8;

export const OPS = ["up", "preview", "up (no change)", "refresh", "destroy"] as const;
export type Op = (typeof OPS)[number];

export interface OpFigures {
  ms: number;
  requestWindowMs: number[];
  meanRequestMs: number;
  requests: number;
  writes: number;
  connections: number;
  byRoute: Record<string, number>;
  changes: Record<string, number>;
}

export type Changes = Record<string, number> | undefined;

export async function runOp(s: TestStack, op: Op): Promise<Changes> {
  if (op === "preview") return (await s.preview()).changeSummary;
  if (op === "refresh") return (await s.refresh()).summary.resourceChanges;
  if (op === "destroy") return (await s.destroy()).summary.resourceChanges;
  return (await s.up()).summary.resourceChanges;
}

export async function measure(
  emu: Emulator,
  run: () => Promise<Changes>,
): Promise<OpFigures & { log: RequestLogEntry[] }> {
  emu.admin.clearRequests();
  const before = emu.admin.connections();
  const started = performance.now();
  const changes = (await run()) ?? {};
  const ms = performance.now() - started;
  const startedAt = Date.now() - ms;
  const after = emu.admin.connections();
  const log = emu.admin.requests();
  return {
    ms,
    // When the requests came (from the start of the operation) and how long the emulator took over each on average:
    // tells engine-bound gaps from slow requests.
    requestWindowMs: log.length
      ? [
          Math.round(log[0].time - startedAt),
          Math.round(Math.max(...log.map((e) => e.time + e.durationMs)) - startedAt),
        ]
      : [],
    meanRequestMs: log.length ? Math.round(log.reduce((a, e) => a + e.durationMs, 0) / log.length) : 0,
    requests: log.length,
    writes: log.filter((e) => isWrite(e.method)).length,
    connections: after.es - before.es + (after.kibana - before.kibana),
    byRoute: countByRoute(log),
    changes,
    log,
  };
}

export const fmtMs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export function printGoals(goals: Goal[]): void {
  console.log("\nGoals");
  for (const g of goals) console.log(`  ${g.met ? "met    " : "NOT MET"}  ${g.goal} — ${g.detail}`);
}
