// `npm run bench -- --curve [--sizes 25,50,…] [--parallel P]`: create, no-change preview, refresh and destroy at each
// N for the dynamic resources, the native plugin and the floor (sides interleaved at every N, rotating which goes
// first), the load average noted with every figure. Writes the JSON and the SVG drawn from it (curve-figure.ts).
import type { PulumiFn } from "@pulumi/pulumi/automation";
import { writeFileSync } from "node:fs";
import * as os from "node:os";
import { performance } from "node:perf_hooks";
import type { Emulator } from "../../emulator";
import { createTestStack, type TestStack } from "../lib/stack";
import { mainCall, timingCliCalls } from "./cli-calls";
import {
  CURVE_OPS,
  CURVE_SIDES,
  curveSvg,
  fits,
  loadRange,
  maxInFlight,
  slopeTable,
  type CurveOp,
  type CurveResult,
  type CurveSide,
} from "./curve-figure";
import { fmtMs } from "./run";

export const CURVE_SIZES = [25, 50, 100, 200, 400];

export interface CurveOptions {
  sizes: number[];
  parallel: number;
  latencyMs: number;
  /** Where the JSON goes; the SVG is written beside it (same name, .svg). */
  out: string;
  commit: string;
}

/** The program of each side at N (names prefixed so that every N's objects are its own on the emulator). */
export type CurvePrograms = Record<CurveSide, (n: number, prefix: string) => PulumiFn>;

async function run(s: TestStack, op: CurveOp, parallel: number): Promise<void> {
  const opts = { parallel, onOutput: () => {} };
  if (op === "create") await s.stack.up(opts);
  else if (op === "preview") await s.stack.preview(opts);
  else if (op === "refresh") await s.stack.refresh(opts);
  else await s.stack.destroy(opts);
}

export async function curve(
  opts: CurveOptions,
  emu: Emulator,
  env: Record<string, string>,
  programs: CurvePrograms,
  stackOptions: (side: CurveSide) => { projectDir: string; pluginPaths?: Record<string, string> },
): Promise<CurveResult> {
  const result: CurveResult = {
    commit: opts.commit,
    started: new Date().toISOString(),
    node: process.version,
    cores: os.cpus().length,
    latencyMs: opts.latencyMs,
    parallel: opts.parallel,
    sizes: opts.sizes,
    points: [],
    stateBytes: {},
  };
  for (const [round, n] of opts.sizes.entries()) {
    const order = CURVE_SIDES.map((_, i, all) => all[(i + round) % all.length]);
    const stacks = {} as Record<CurveSide, TestStack>;
    for (const side of order)
      stacks[side] = await createTestStack({
        program: programs[side](n, `${side}${n}`),
        env,
        projectName: `curve-${side}`,
        ...stackOptions(side),
      });
    try {
      for (const op of CURVE_OPS) {
        for (const side of order) {
          emu.admin.clearRequests();
          const before = emu.admin.connections();
          const load = os.loadavg()[0];
          const started = performance.now();
          const { calls } = await timingCliCalls(stacks[side], () => run(stacks[side], op, opts.parallel));
          const ms = performance.now() - started;
          const after = emu.admin.connections();
          const log = emu.admin.requests();
          const point = {
            n,
            side,
            op,
            ms: Math.round(ms),
            cliMs: mainCall(calls)?.ms,
            load: Math.round(load * 100) / 100,
            requests: log.length,
            maxInFlight: maxInFlight(log),
            connections: after.es - before.es + (after.kibana - before.kibana),
          };
          result.points.push(point);
          console.log(
            `N=${n} ${side} ${op}: ${fmtMs(ms)}, the CLI's own ${fmtMs(point.cliMs ?? 0)} (load ${load.toFixed(2)}; ${point.requests} requests, at most ${point.maxInFlight} in flight, ${point.connections} connections)`,
          );
          if (op === "create")
            ((result.stateBytes ??= {})[side] ??= {})[String(n)] = Math.round(
              (await stacks[side].exportText()).length / n,
            );
        }
      }
    } finally {
      for (const side of order) await stacks[side].cleanup();
    }
  }
  writeFileSync(opts.out, JSON.stringify(result, null, 2) + "\n");
  const svg = opts.out.replace(/\.json$/, "") + ".svg";
  writeFileSync(svg, curveSvg(result));
  const f = fits(result);
  console.log(`\nCost per added resource (least squares over N = ${opts.sizes.join(", ")}; load ${loadRange(result)})`);
  for (const line of slopeTable(result)) console.log(`  ${line}`);
  console.log(`\nThe same, the operation's own CLI command only (without Automation's stack output and history calls)`);
  for (const line of slopeTable(result, "cliMs")) console.log(`  ${line}`);
  console.log(
    `  create, native vs dynamic: ${f.create.native.slopeMs.toFixed(1)} vs ${f.create.dynamic.slopeMs.toFixed(1)} ms per resource`,
  );
  console.log(`\nwritten to ${opts.out} and ${svg}`);
  return result;
}
