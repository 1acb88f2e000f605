// `npm run bench -- --curve [--sizes 25,50,…] [--parallel P]`: create, no-change preview, refresh and destroy at each
// N for the dynamic resources, the native plugin and the floor (sides interleaved at every N, rotating which goes
// first), the load average noted with every figure. Writes the JSON and the SVG drawn from it (curve-figure.ts).
import type { PulumiFn } from "@pulumi/pulumi/automation";
import { readFileSync, writeFileSync } from "node:fs";
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
  type CurvePoint,
  type CurveResult,
  type CurveSide,
} from "./curve-figure";
import { fmtMs } from "./run";

export const CURVE_SIZES = [25, 50, 100, 200, 400];

export interface CurveOptions {
  sizes: number[];
  parallel: number;
  latencyMs: number;
  /** Rounds at each N (sides interleaved in each); a point is the median. */
  repeat: number;
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

const svgPathOf = (json: string) => json.replace(/\.json$/, "") + ".svg";

/** `--redraw`: the SVG drawn again from a curve's JSON (after a change to the drawing), nothing measured. */
export function redrawCurve(json: string): void {
  const result = JSON.parse(readFileSync(json, "utf8")) as CurveResult;
  writeFileSync(svgPathOf(json), curveSvg(result));
  for (const line of slopeTable(result)) console.log(line);
  console.log(`\nThe same, the operation's own CLI command only`);
  for (const line of slopeTable(result, "cliMs")) console.log(line);
  console.log(`\n${svgPathOf(json)} drawn from ${json} (load ${loadRange(result)})`);
}

async function measurePoint(
  emu: Emulator,
  s: TestStack,
  n: number,
  side: CurveSide,
  op: CurveOp,
  parallel: number,
): Promise<CurvePoint> {
  emu.admin.clearRequests();
  const before = emu.admin.connections();
  const load = os.loadavg()[0];
  const started = performance.now();
  const { calls } = await timingCliCalls(s, () => run(s, op, parallel));
  const ms = performance.now() - started;
  const after = emu.admin.connections();
  const log = emu.admin.requests();
  return {
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
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/** The rounds of one side and operation as one point: median times (every round kept), the highest load. */
function medianPoint(rounds: CurvePoint[], side: CurveSide, op: CurveOp): CurvePoint {
  const mine = rounds.filter((p) => p.side === side && p.op === op);
  const cli = mine.map((p) => p.cliMs).filter((x): x is number => x !== undefined);
  return {
    ...mine[0],
    ms: median(mine.map((p) => p.ms)),
    cliMs: cli.length ? median(cli) : undefined,
    load: Math.max(...mine.map((p) => p.load)),
    maxInFlight: Math.max(...mine.map((p) => p.maxInFlight ?? 0)),
    ...(mine.length > 1 ? { runs: mine.map((p) => p.ms) } : {}),
  };
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
      const rounds: CurvePoint[] = [];
      for (let r = 1; r <= opts.repeat; r++)
        for (const op of CURVE_OPS)
          for (const side of order) {
            const point = await measurePoint(emu, stacks[side], n, side, op, opts.parallel);
            rounds.push(point);
            console.log(
              `N=${n} ${side} ${op}${opts.repeat > 1 ? ` (round ${r})` : ""}: ${fmtMs(point.ms)}, the CLI's own ${fmtMs(point.cliMs ?? 0)} (load ${point.load.toFixed(2)}; ${point.requests} requests, at most ${point.maxInFlight} in flight, ${point.connections} connections)`,
            );
            if (op === "create" && r === 1)
              ((result.stateBytes ??= {})[side] ??= {})[String(n)] = Math.round(
                (await stacks[side].exportText()).length / n,
              );
          }
      for (const op of CURVE_OPS) for (const side of order) result.points.push(medianPoint(rounds, side, op));
    } finally {
      for (const side of order) await stacks[side].cleanup();
    }
  }
  writeFileSync(opts.out, JSON.stringify(result, null, 2) + "\n");
  const svg = svgPathOf(opts.out);
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
