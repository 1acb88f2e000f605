// `npm run bench -- --split [--n N]`: one operation broken down from start to exit, and where its CPU goes. For the
// native plugin and the dynamic resources, `up` (create), a no-change `preview` and `destroy` of N resources, with:
// - the Automation API's own CLI calls (each timed), and within the operation's CLI call: when the program started
//   and finished registering, when the provider process started, printed its port, served its first and last call;
// - CPU of every process: the engine (the pulumi CLI, read from /proc while it runs), the provider processes (their
//   own count) and this process (the inline program, the Automation API and the emulator);
// - the provider processes' V8 profiles split by code (ours, gRPC, protobuf, zod…) and by operation (Check, Diff,
//   Create, Delete) — bench/profile-split.ts.
import type { PulumiFn } from "@pulumi/pulumi/automation";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createTestStack, type TestStack } from "../lib/stack";
import { mainCall, timingCliCalls, type CliCall } from "./cli-calls";
import {
  parseProcStat,
  scaleSplit,
  splitProfile,
  sumSplits,
  type CpuProfile,
  type ProfileSplit,
} from "./profile-split";
import type { Timeline } from "./timeline-preload";

const SPLIT_OPS = ["create", "preview", "destroy"] as const;
type SplitOp = (typeof SPLIT_OPS)[number];
type Side = "native" | "dynamic";

export interface SplitFigures {
  side: Side;
  op: SplitOp;
  load: number;
  wallMs: number;
  /** Every CLI command the Automation API ran, in order: args and ms. */
  cliCalls: { args: string; ms: number }[];
  /** Milestones of the operation's own CLI call, ms from its start. */
  milestones: Record<string, number>;
  /** CPU ms by process: engine (pulumi CLI), providers, this process. */
  cpuMs: { engine: number; providers: number; benchProcess: number; other: number };
  providerProfile: ProfileSplit;
  rpcCount: Record<string, number>;
}

/** Every process below `root`, with its CPU, found in /proc. */
function descendants(root: number): Map<number, { comm: string; cmdline: string; cpuTicks: number }> {
  const all = new Map<number, { comm: string; ppid: number; cpuTicks: number }>();
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d)))
    try {
      all.set(Number(pid), parseProcStat(readFileSync(`/proc/${pid}/stat`, "utf8")));
    } catch {
      // gone meanwhile
    }
  const out = new Map<number, { comm: string; cmdline: string; cpuTicks: number }>();
  const walk = (p: number) => {
    for (const [pid, s] of all)
      if (s.ppid === p && !out.has(pid)) {
        let cmdline = "";
        try {
          cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
        } catch {
          // gone meanwhile
        }
        out.set(pid, { comm: s.comm, cmdline, cpuTicks: s.cpuTicks });
        walk(pid);
      }
  };
  walk(root);
  return out;
}

const TICK_MS = 10; // CLK_TCK = 100 on Linux

async function measureOp(
  s: TestStack,
  side: Side,
  op: SplitOp,
  marks: { programStart?: number; programEnd?: number },
): Promise<SplitFigures> {
  const profDir = mkdtempSync(path.join(os.tmpdir(), "pek-split-prof-"));
  const timeDir = mkdtempSync(path.join(os.tmpdir(), "pek-split-time-"));
  s.setEnv({ BENCH_CPU_PROF_DIR: profDir, BENCH_TIMELINE_DIR: timeDir });
  // CPU of the processes below this one, polled while the operation runs (a process's last figure counts).
  const seen = new Map<number, { comm: string; cmdline: string; cpuTicks: number }>();
  // A process that has exited (a zombie until reaped) shows an empty command line: keep the one seen before.
  const poll = () =>
    descendants(process.pid).forEach((v, pid) =>
      seen.set(pid, { ...v, cmdline: v.cmdline || seen.get(pid)?.cmdline || "" }),
    );
  const timer = setInterval(poll, 50);
  marks.programStart = marks.programEnd = undefined;
  const load = os.loadavg()[0];
  const cpuBefore = process.cpuUsage();
  const started = Date.now();
  let cliCalls: CliCall[];
  try {
    const opts = { onOutput: () => {} };
    ({ calls: cliCalls } = await timingCliCalls(s, async () => {
      if (op === "create") await s.stack.up(opts);
      else if (op === "preview") await s.stack.preview(opts);
      else await s.stack.destroy(opts);
    }));
  } finally {
    clearInterval(timer);
  }
  const wallMs = Date.now() - started;
  const cpuSelf = process.cpuUsage(cpuBefore);
  const cpu = { engine: 0, providers: 0, benchProcess: Math.round((cpuSelf.user + cpuSelf.system) / 1000), other: 0 };
  for (const p of seen.values()) {
    if (p.comm === "pulumi") cpu.engine += p.cpuTicks * TICK_MS;
    else if (/dist\/plugin\/main\.js|dynamic-provider/.test(p.cmdline)) cpu.providers += p.cpuTicks * TICK_MS;
    else cpu.other += p.cpuTicks * TICK_MS;
  }
  // Timelines and profiles are written as the providers exit (shortly after the CLI returns).
  await new Promise((r) => setTimeout(r, 500));
  const timelines = readdirSync(timeDir).map(
    (f) => JSON.parse(readFileSync(path.join(timeDir, f), "utf8")) as Timeline,
  );
  const timelineOf = new Map(timelines.map((t) => [t.pid, t]));
  const profiles = readdirSync(profDir).map((f) => {
    const t = timelineOf.get(Number(f.split(".")[0]));
    const whole = splitProfile(JSON.parse(readFileSync(path.join(profDir, f), "utf8")) as CpuProfile, t?.calls ?? []);
    return t ? scaleSplit(whole, t.cpuMs) : whole;
  });
  rmSync(profDir, { recursive: true, force: true });
  rmSync(timeDir, { recursive: true, force: true });
  const main = mainCall(cliCalls)!;
  const rel = (t: number | undefined) => (t === undefined ? -1 : Math.round(t - main.start));
  const providers = timelines.filter((t) => /plugin\/main\.js|dynamic-provider/.test(t.script));
  const calls = providers.flatMap((t) => t.calls);
  const milestones: Record<string, number> = {
    "program started": rel(marks.programStart),
    "program registered everything": rel(marks.programEnd),
    "provider process started": rel(Math.min(...providers.map((t) => t.startedAt))),
    "provider printed its port": rel(Math.min(...providers.map((t) => t.firstStdoutAt ?? Infinity))),
    "first gRPC call served": rel(Math.min(...calls.map((c) => c[1]))),
    "last gRPC call answered": rel(Math.max(...calls.map((c) => c[2]))),
    "CLI exited": rel(main.end),
  };
  const rpcCount: Record<string, number> = {};
  for (const [p] of calls) {
    const name = p.split("/").pop() ?? p;
    rpcCount[name] = (rpcCount[name] ?? 0) + 1;
  }
  return {
    side,
    op,
    load: Math.round(load * 100) / 100,
    wallMs,
    cliCalls: cliCalls.map(({ args, ms }) => ({ args, ms })),
    milestones,
    cpuMs: cpu,
    providerProfile: sumSplits(profiles),
    rpcCount,
  };
}

export async function split(
  n: number,
  env: Record<string, string>,
  programs: Record<Side, PulumiFn>,
  stackOptions: (side: Side) => { projectDir: string; pluginPaths?: Record<string, string> },
  preloads: string[],
): Promise<SplitFigures[]> {
  const out: SplitFigures[] = [];
  for (const side of ["native", "dynamic"] as const) {
    const marks: { programStart?: number; programEnd?: number } = {};
    const program: PulumiFn = async () => {
      marks.programStart = Date.now();
      const r = await programs[side]();
      marks.programEnd = Date.now();
      return r;
    };
    const s = await createTestStack({
      program,
      env: { ...env, NODE_OPTIONS: preloads.map((p) => `--require ${p}`).join(" ") },
      projectName: `split-${side}`,
      ...stackOptions(side),
    });
    try {
      for (const op of SPLIT_OPS) {
        const f = await measureOp(s, side, op, marks);
        out.push(f);
        printSplit(n, f);
      }
    } finally {
      await s.cleanup();
    }
  }
  return out;
}

function printSplit(n: number, f: SplitFigures): void {
  const c = f.cpuMs;
  const total = c.engine + c.providers + c.benchProcess + c.other;
  const pct = (x: number) => `${Math.round((100 * x) / Math.max(total, 1))}%`;
  console.log(`\n${f.side} ${f.op}, N = ${n}: ${(f.wallMs / 1000).toFixed(2)} s wall (load ${f.load})`);
  console.log(`  CLI calls: ${f.cliCalls.map((x) => `${x.args} ${x.ms} ms`).join("; ")}`);
  console.log(
    `  milestones (ms from the CLI call's start): ${Object.entries(f.milestones)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}`,
  );
  console.log(
    `  CPU: engine ${c.engine} ms (${pct(c.engine)}), providers ${c.providers} ms (${pct(c.providers)}), program + Automation API + emulator ${c.benchProcess} ms (${pct(c.benchProcess)}), other ${c.other} ms`,
  );
  const p = f.providerProfile;
  const fmt = (m: Record<string, number>) =>
    Object.entries(m)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ");
  console.log(`  provider CPU ${p.busyMs} ms (profile shares × the process's own count) — by code: ${fmt(p.byCode)}`);
  console.log(`    by operation: ${fmt(p.byOperation)}; calls: ${fmt(f.rpcCount)}`);
}
