// `npm run bench [-- --n N --latency-ms L --repeat R --faults[=native|=dynamic] --curve --sizes N,… --parallel P
// --split --redraw --out FILE --cpu-prof DIR --from-checkout]`: what a
// stack of N Elastic credentials costs on the real pulumi CLI against the emulator, measured against the engine's
// floor (N minimal dynamic resources whose create makes one request), and with --faults the soak: the same stack
// under 429/503, resets and commit-then-fail on every write route, counting live, orphaned and duplicated keys —
// through the dynamic resources (bench/soak.ts) and then through the native plugin on two clusters, with plugin kills
// and provider moves (bench/soak-native.ts).
// Measures the package as users get it: packed and installed into a temp project, which is also the stacks' project
// directory (`--from-checkout` measures this repository's own build instead: see sdk/dynamic.ts for the difference).
import * as pulumi from "@pulumi/pulumi";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { startEmulator, type Emulator } from "../emulator";
import { createAgentPolicy, emulatorKibana } from "./lib/agent-policy";
import { installPackedPackage } from "./lib/packed";
import { PLUGIN_DIR, REPO_ROOT } from "./lib/pulumi-cli";
import { createTestStack } from "./lib/stack";
import { createMinimum, createMinimumSummary, KINDS, mix, ratio, routeMismatches, type Goal } from "./bench/figures";
import { ENGINE_PARALLELISM, fmtMs, measure, OPS, printGoals, runOp, type Op, type OpFigures } from "./bench/run";
import { nativeProgram, ourProgram, type Subject, type Sdk } from "./bench/program";
import { pluginStartMs, pluginTarballBytes } from "./bench/plugin";
import { soak } from "./bench/soak";
import { soakNative } from "./bench/soak-native";
import { resourcesOf } from "./bench/truth";
import { bytesPerType, formatBytesPerType, type EntryBytes } from "./bench/state-bytes";
import { curve, CURVE_SIZES, redrawCurve } from "./bench/curve";
import { split } from "./bench/split";

// ---------------------------------------------------------------------------------------------------------------
// The floor: a tiny serialized shim shaped like ours (sdk/dynamic.ts: one `configure` that loads the implementation
// by absolute path and installs its methods), so both stacks pay the same deserialization and `__provider` costs.

type FloorImpl = typeof import("./bench/floor-provider");
const FLOOR_IMPL = require.resolve("./bench/floor-provider");
const floorShim: Record<string, unknown> = {
  configure: async () => {
    const t: FloorImpl = require(FLOOR_IMPL);
    Object.assign(floorShim, { check: t.check, diff: t.diff, create: t.create, read: t.read, delete: t.remove });
  },
};
const floorProvider = floorShim as unknown as pulumi.dynamic.ResourceProvider;

class Floor extends pulumi.dynamic.Resource {
  constructor(name: string, label: string) {
    super(floorProvider, name, { label }, {}, "bench", "Floor");
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Options

interface Options {
  n: number;
  latencyMs: number;
  faults: boolean;
  /** With --faults: which front end's soak runs (`--faults=native`, `--faults=dynamic`); both by default. */
  soakOnly?: "native" | "dynamic";
  out: string;
  /** Rounds of the five operations; times are the median per operation. */
  repeat: number;
  cpuProfDir?: string;
  /** Measure this repository's build instead of the packed package installed in a temp project. */
  fromCheckout: boolean;
  /** The growth curve (bench/curve.ts) at these sizes instead of the benchmark. */
  curve?: number[];
  /** The engine's --parallel in the curve. */
  parallel: number;
  /** One operation broken down and its CPU split (bench/split.ts) instead of the benchmark. */
  split: boolean;
  /** Draw the curve's SVG again from its JSON (`--out`, default docs/bench-curve.json), measuring nothing. */
  redraw: boolean;
}

function sizeOf(x: string, arg: string): number {
  const v = Number(x);
  if (!Number.isInteger(v) || v < 4) throw new Error(`${arg}: each size must be an integer ≥ 4 (got ${x})`);
  return v;
}

function parseOptions(argv: string[]): Options {
  const opts: Options = {
    n: 200,
    latencyMs: 20,
    faults: false,
    out: "",
    repeat: 5,
    fromCheckout: false,
    parallel: ENGINE_PARALLELISM,
    split: false,
    redraw: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    const count = (min: number): number => {
      const v = Number(value());
      if (!Number.isInteger(v) || v < min) throw new Error(`${arg} must be an integer ≥ ${min}`);
      return v;
    };
    if (arg === "--n") opts.n = count(4);
    else if (arg === "--latency-ms") opts.latencyMs = count(0);
    else if (arg === "--faults") opts.faults = true;
    else if (arg === "--faults=native" || arg === "--faults=dynamic") {
      opts.faults = true;
      opts.soakOnly = arg === "--faults=native" ? "native" : "dynamic";
    } else if (arg === "--repeat") opts.repeat = count(1);
    else if (arg === "--out") opts.out = value();
    else if (arg === "--cpu-prof") opts.cpuProfDir = value();
    else if (arg === "--from-checkout") opts.fromCheckout = true;
    else if (arg === "--curve") opts.curve ??= CURVE_SIZES;
    else if (arg === "--sizes")
      opts.curve = value()
        .split(",")
        .map((x) => sizeOf(x, arg));
    else if (arg === "--parallel") opts.parallel = count(1);
    else if (arg === "--split") opts.split = true;
    else if (arg === "--redraw") opts.redraw = true;
    else
      throw new Error(
        `unknown option ${arg} (options: --n N, --latency-ms L, --repeat R, --faults[=native|=dynamic], --curve, --sizes N,…, --parallel P, --split, --redraw, --out FILE, --cpu-prof DIR, --from-checkout)`,
      );
  }
  // The curve's default: 3 rounds at each N (5 sizes × 3 sides × 4 operations).
  if (opts.curve && !argv.includes("--repeat")) opts.repeat = 3;
  if ((opts.curve || opts.redraw) && !opts.out) opts.out = path.join(REPO_ROOT, "docs", "bench-curve.json");
  if (opts.split && !opts.out) opts.out = "bench-results-split.json";
  // Absolute: the stacks run with the installed project as cwd.
  opts.out = path.resolve(opts.out || (opts.faults ? "bench-results-soak.json" : "bench-results.json"));
  return opts;
}

// ---------------------------------------------------------------------------------------------------------------
// The stacks

function floorProgram(n: number): () => Promise<Record<string, unknown>> {
  return async () => {
    for (let i = 0; i < n; i++) new Floor(`floor-${i}`, String(i));
    return {};
  };
}

// ---------------------------------------------------------------------------------------------------------------
// State export

interface StateFigures {
  /** The whole `pulumi stack export` deployment divided by N. */
  bytesPerResource: number;
  /** One `__provider` text (it is stored twice per resource: in inputs and in outputs). */
  providerBytes: number;
  /** Both copies. */
  providerBytesInState: number;
  /** One resource entry of each type, average, split into what it holds (bench/state-bytes.ts). */
  byType: Record<string, EntryBytes>;
}

function stateFigures(exported: string, n: number): StateFigures {
  const dynamic = resourcesOf(exported).filter((r) => r.type.startsWith("pulumi-nodejs:dynamic"));
  let provider = 0;
  let providerInState = 0;
  for (const r of dynamic) {
    const p = String(r.inputs?.__provider ?? "");
    provider = Math.max(provider, p.length);
    providerInState += p.length + String(r.outputs?.__provider ?? "").length;
  }
  return {
    bytesPerResource: Math.round(exported.length / n),
    providerBytes: provider,
    providerBytesInState: dynamic.length ? Math.round(providerInState / dynamic.length) : 0,
    byType: bytesPerType(exported),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// ---------------------------------------------------------------------------------------------------------------
// Printing

const kb = (b: number) => `${(b / 1024).toFixed(2)} KB`;
const pad = (s: string, w: number) => s.padEnd(w);
const lpad = (s: string, w: number) => s.padStart(w);

function printRoutes(label: string, f: OpFigures): void {
  const window = f.requests ? `, requests from ${f.requestWindowMs.join(" to ")} ms, ${f.meanRequestMs} ms each` : "";
  console.log(
    `  ${label}: ${fmtMs(f.ms)}, ${f.requests} requests (${f.writes} writes), ${f.connections} connections accepted${window}`,
  );
  for (const [route, count] of Object.entries(f.byRoute)) console.log(`      ${lpad(String(count), 5)}  ${route}`);
}

function gitCommit(): string {
  try {
    const sha = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: REPO_ROOT, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "provider", "sdk", "scripts"], {
      cwd: REPO_ROOT,
      encoding: "utf8",
    }).trim();
    return dirty ? `${sha}+local changes` : sha;
  } catch {
    return "unknown";
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The benchmark

interface OpRow {
  op: Op;
  /** `ms` is the median of `runs`. Ours: the dynamic resources; native: the same stack through the plugin. */
  ours: OpFigures & { runs: number[] };
  native: OpFigures & { runs: number[] };
  floor: OpFigures & { runs: number[] };
  ratio: number;
  nativeRatio: number;
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function benchmark(opts: Options, emu: Emulator, env: Record<string, string>, policyId: string, at: Subject) {
  const counts = mix(opts.n);
  const ours = await createTestStack({
    program: ourProgram(at.sdk, opts.n, policyId),
    env,
    projectName: "bench-ours",
    projectDir: at.projectDir,
  });
  const floor = await createTestStack({
    program: floorProgram(opts.n),
    env,
    projectName: "bench-floor",
    projectDir: at.projectDir,
  });
  const native = await createTestStack({
    program: nativeProgram(pulumi, opts.n, policyId),
    env,
    projectName: "bench-native",
    projectDir: at.projectDir,
    pluginPaths: { elastic: at.pluginDir },
  });
  const rows: OpRow[] = [];
  let ourState: StateFigures | undefined;
  let floorState: StateFigures | undefined;
  let nativeState: StateFigures | undefined;
  try {
    for (let round = 1; round <= opts.repeat; round++) {
      if (opts.repeat > 1) console.log(`\n— round ${round} of ${opts.repeat}`);
      for (const op of OPS) {
        // Interleaved, rotating which side goes first, so load from other processes on the machine (and any
        // warm-up) hits every side alike.
        const sides = { floor, ours, native } as const;
        const order = (["floor", "ours", "native"] as const).map((_, i, all) => all[(i + round - 1) % all.length]);
        const measured = {} as Record<keyof typeof sides, OpFigures>;
        for (const side of order) {
          const { log: _log, ...figures } = await measure(emu, () => runOp(sides[side], op));
          measured[side] = figures;
        }
        const { ours: o, floor: f, native: nat } = measured;
        let r = rows.find((x) => x.op === op);
        if (!r) {
          // Requests and connections from the first round (they do not vary); times from every round.
          r = {
            op,
            ours: { ...o, runs: [] },
            native: { ...nat, runs: [] },
            floor: { ...f, runs: [] },
            ratio: 0,
            nativeRatio: 0,
          };
          rows.push(r);
          console.log(`\n${op}`);
          printRoutes("ours  ", o);
          printRoutes("native", nat);
          printRoutes("floor ", f);
        } else console.log(`${op}: ours ${fmtMs(o.ms)}, native ${fmtMs(nat.ms)}, floor ${fmtMs(f.ms)}`);
        r.ours.runs.push(o.ms);
        r.native.runs.push(nat.ms);
        r.floor.runs.push(f.ms);
        r.ours.ms = median(r.ours.runs);
        r.native.ms = median(r.native.runs);
        r.floor.ms = median(r.floor.runs);
        r.ratio = ratio(r.ours.ms, r.floor.ms);
        r.nativeRatio = ratio(r.native.ms, r.ours.ms);
        if (op === "up" && round === 1) {
          ourState = stateFigures(await ours.exportText(), opts.n);
          floorState = stateFigures(await floor.exportText(), opts.n);
          nativeState = stateFigures(await native.exportText(), opts.n);
        }
      }
    }
  } finally {
    await ours.cleanup();
    await floor.cleanup();
    await native.cleanup();
  }
  if (!ourState || !floorState || !nativeState) throw new Error("no state was exported");

  const row = (op: Op) => rows.find((r) => r.op === op)!;
  const goals: Goal[] = [];
  for (const op of ["up", "preview", "refresh", "destroy"] as const) {
    const r = row(op);
    goals.push({
      goal: `${op} ≤ 1.10 × floor`,
      met: r.ratio <= 1.1,
      detail: `${fmtMs(r.ours.ms)} vs ${fmtMs(r.floor.ms)} = ${r.ratio.toFixed(2)}×`,
    });
  }
  goals.push({
    goal: "__provider ≤ 2 KB per resource",
    met: ourState.providerBytes <= 2048,
    detail: `${ourState.providerBytes} B per copy (stored twice: inputs and outputs, ${ourState.providerBytesInState} B)`,
  });
  goals.push({
    goal: "whole state ≤ 4 KB per resource",
    met: ourState.bytesPerResource <= 4096,
    detail: `${ourState.bytesPerResource} B (export ÷ N; floor ${floorState.bytesPerResource} B)`,
  });
  const mismatches = routeMismatches(row("up").ours.byRoute, createMinimum(counts));
  goals.push({
    goal: "requests per create = the API minimum",
    met: mismatches.length === 0,
    detail: mismatches.length ? mismatches.join("; ") : createMinimumSummary(),
  });
  goals.push({
    goal: "no-change preview makes no write request",
    met: row("preview").ours.writes === 0,
    detail: `${row("preview").ours.writes} writes, ${row("preview").ours.requests} requests`,
  });
  const totalRequests = rows.reduce((a, r) => a + r.ours.requests, 0);
  const totalConnections = rows.reduce((a, r) => a + r.ours.connections, 0);
  const busiest = rows.filter((r) => r.ours.requests > 0);
  // With keep-alive an operation needs at most one connection per concurrent request: the engine runs 8 resource
  // operations at once (its default parallelism), on two listeners. Without it, one connection per request.
  const keepAliveBound = (requests: number) => ENGINE_PARALLELISM * 2 + requests / 10;
  goals.push({
    goal: "connections accepted ≪ requests (keep-alive)",
    met: busiest.every((r) => r.ours.connections <= keepAliveBound(r.ours.requests)),
    detail: `${totalConnections} connections for ${totalRequests} requests (${busiest.map((r) => `${r.op} ${r.ours.connections}/${r.ours.requests}`).join(", ")})`,
  });

  for (const r of rows)
    goals.push({
      goal: `native ${r.op} no slower than dynamic`,
      met: r.native.ms <= r.ours.ms,
      detail: `${fmtMs(r.native.ms)} vs ${fmtMs(r.ours.ms)} = ${r.nativeRatio.toFixed(2)}×`,
    });
  // On each supported runtime (the launcher runs the `node` on PATH), and on this one for reference.
  const start: Record<string, Awaited<ReturnType<typeof pluginStartMs>>> = {};
  const runtimes: [string, string, boolean][] = [
    ...["22", "24"].map((major): [string, string, boolean] => {
      const node = execFileSync("bash", [path.join(REPO_ROOT, "scripts", "ensure-node.sh"), major], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
      }).trim();
      return [execFileSync(node, ["--version"], { encoding: "utf8" }).trim(), node, true];
    }),
    [process.version, process.execPath, false],
  ];
  for (const [version, node, supported] of runtimes) {
    const s = (start[version] = await pluginStartMs(at.pluginDir, node));
    const detail = `median ${Math.round(s.median)} ms over 10 starts (max ${Math.round(s.max)} ms; first ${Math.round(s.first)} ms)`;
    if (supported)
      goals.push({ goal: `plugin start (exec to port) ≤ 100 ms on Node ${version}`, met: s.median <= 100, detail });
    else console.log(`\nplugin start on this machine's Node ${version} (not a supported runtime): ${detail}`);
  }
  const tarball = pluginTarballBytes();
  console.log(
    `\nNative plugin: tarball ${(tarball / 1024 / 1024).toFixed(2)} MB (npm run package-plugin), started from ${at.pluginDir}`,
  );

  console.log(`\nState (after up, N = ${opts.n})`);
  console.log(
    `  ours : ${ourState.bytesPerResource} B per resource, __provider ${ourState.providerBytes} B (${ourState.providerBytesInState} B with both copies)`,
  );
  for (const line of formatBytesPerType(ourState.byType)) console.log(`      ${line}`);
  console.log(`  native: ${nativeState.bytesPerResource} B per resource (no __provider)`);
  for (const line of formatBytesPerType(nativeState.byType)) console.log(`      ${line}`);
  console.log(
    `  floor: ${floorState.bytesPerResource} B per resource, __provider ${floorState.providerBytes} B (${floorState.providerBytesInState} B with both copies)`,
  );

  console.log(
    `\nSummary — N = ${opts.n} (${KINDS.map((k) => `${counts[k]} ${k}`).join(", ")}), latency ${opts.latencyMs} ms, median of ${opts.repeat} round(s)`,
  );
  console.log(
    `  ${pad("operation", 16)}${lpad("ours", 10)}${lpad("floor", 10)}${lpad("ratio", 8)}${lpad("rounds", 13)}${lpad("requests", 10)}${lpad("writes", 8)}${lpad("conns", 7)}${lpad("floor req", 11)}${lpad("native", 10)}${lpad("nat÷ours", 10)}${lpad("nat req", 9)}`,
  );
  for (const r of rows) {
    // Ours ÷ floor within each round (measured back to back): how far single runs spread on this machine.
    const perRound = r.ours.runs.map((ms, i) => ms / r.floor.runs[i]);
    const spread = `${Math.min(...perRound).toFixed(2)}–${Math.max(...perRound).toFixed(2)}`;
    console.log(
      `  ${pad(r.op, 16)}${lpad(fmtMs(r.ours.ms), 10)}${lpad(fmtMs(r.floor.ms), 10)}${lpad(`${r.ratio.toFixed(2)}×`, 8)}${lpad(spread, 13)}${lpad(String(r.ours.requests), 10)}${lpad(String(r.ours.writes), 8)}${lpad(String(r.ours.connections), 7)}${lpad(String(r.floor.requests), 11)}${lpad(fmtMs(r.native.ms), 10)}${lpad(`${r.nativeRatio.toFixed(2)}×`, 10)}${lpad(String(r.native.requests), 9)}`,
    );
  }
  console.log(
    `  state ${kb(ourState.bytesPerResource)} per resource (floor ${kb(floorState.bytesPerResource)}), __provider ${ourState.providerBytes} B (floor ${floorState.providerBytes} B)`,
  );
  printGoals(goals);
  return {
    counts,
    rows,
    state: { ours: ourState, floor: floorState, native: nativeState },
    plugin: { start, tarballBytes: tarball },
    goals,
  };
}

// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  if (opts.redraw) return redrawCurve(opts.out);
  if (!opts.fromCheckout && !process.env[INSTALLED_PROJECT]) return runInstalled();
  const emu = await startEmulator();
  try {
    emu.admin.setLatency(opts.latencyMs);
    const env: Record<string, string> = {
      ELASTICSEARCH_ENDPOINTS: emu.esUrl,
      KIBANA_ENDPOINT: emu.kibanaUrl,
      ELASTICSEARCH_USERNAME: emu.superuser.username,
      ELASTICSEARCH_PASSWORD: emu.superuser.password,
    };
    // Profiles every node process the CLI starts (the dynamic-provider plugin): see bench/cpu-profile.ts.
    if (opts.cpuProfDir) {
      env.BENCH_CPU_PROF_DIR = path.resolve(opts.cpuProfDir);
      mkdirSync(env.BENCH_CPU_PROF_DIR, { recursive: true });
      env.NODE_OPTIONS = `--require ${require.resolve("./bench/cpu-profile")}`;
    }
    const policyId = await createAgentPolicy(emulatorKibana(emu), "bench-policy");
    const started = new Date().toISOString();
    const installed = process.env[INSTALLED_PROJECT];
    // As the project's own code would load it (a plain require here would resolve this repository by self-reference).
    const at: Subject = installed
      ? {
          sdk: createRequire(path.join(installed, "package.json"))("pulumi-elastic-keys") as Sdk,
          projectDir: installed,
          pluginDir: path.join(installed, "node_modules", "pulumi-elastic-keys", "plugin", "bin"),
        }
      : { sdk: require("../sdk") as Sdk, projectDir: REPO_ROOT, pluginDir: PLUGIN_DIR };
    console.log(`project directory of the stacks: ${at.projectDir}`);
    if (opts.curve) {
      await curve(
        {
          sizes: opts.curve,
          repeat: opts.repeat,
          parallel: opts.parallel,
          latencyMs: opts.latencyMs,
          out: opts.out,
          commit: gitCommit(),
        },
        emu,
        env,
        {
          dynamic: (n, prefix) => ourProgram(at.sdk, n, policyId, prefix),
          native: (n, prefix) => nativeProgram(pulumi, n, policyId, prefix),
          floor: (n) => floorProgram(n),
        },
        (side) => ({
          projectDir: at.projectDir,
          ...(side === "native" ? { pluginPaths: { elastic: at.pluginDir } } : {}),
        }),
      );
      return;
    }
    if (opts.split) {
      const figures = await split(
        opts.n,
        env,
        {
          native: nativeProgram(pulumi, opts.n, policyId, "split-native"),
          dynamic: ourProgram(at.sdk, opts.n, policyId, "split-dynamic"),
        },
        (side) => ({
          projectDir: at.projectDir,
          ...(side === "native" ? { pluginPaths: { elastic: at.pluginDir } } : {}),
        }),
        [require.resolve("./bench/cpu-profile"), require.resolve("./bench/timeline-preload")],
      );
      writeFileSync(opts.out, JSON.stringify({ commit: gitCommit(), n: opts.n, split: figures }, null, 2) + "\n");
      console.log(`\nwritten to ${opts.out}`);
      return;
    }
    const report = opts.faults
      ? await bothSoaks(opts, emu, env, policyId, at)
      : await benchmark(opts, emu, env, policyId, at);
    const result = opts.faults ? { soak: report } : { bench: report };
    const goals = report.goals;
    writeFileSync(
      opts.out,
      JSON.stringify(
        { commit: gitCommit(), started, node: process.version, options: { ...opts, out: undefined }, ...result },
        null,
        2,
      ) + "\n",
    );
    console.log(`\nwritten to ${opts.out}`);
    process.exitCode = goals.every((g) => g.met) ? 0 : 1;
  } finally {
    await emu.stop();
  }
}

/** The dynamic resources' soak, then the native plugin's (YAML programs, two clusters). */
async function bothSoaks(opts: Options, emu: Emulator, env: Record<string, string>, policyId: string, at: Subject) {
  const dynamic = opts.soakOnly === "native" ? undefined : await soak(opts, emu, env, policyId, at);
  emu.admin.setLatency(opts.latencyMs);
  const native =
    opts.soakOnly === "dynamic"
      ? undefined
      : await soakNative({ n: opts.n, latencyMs: opts.latencyMs, pluginDir: at.pluginDir }, emu);
  return { dynamic, native, goals: [...(dynamic?.goals ?? []), ...(native?.goals ?? [])] };
}

const INSTALLED_PROJECT = "BENCH_INSTALLED_PROJECT";

/**
 * Packs this package, installs it into a temp project (@pulumi/pulumi linked from this repository, so this script and
 * the installed package share one Pulumi runtime), and runs the benchmark again in a child process on that install.
 * NODE_PATH lets the repository's @pulumi/pulumi resolve the installed package, as it would as its sibling in a
 * user's node_modules: the closure serializer reads the package's `exports` to store `require("<package
 * subpath>")`.
 */
function runInstalled(): void {
  console.log("npm pack + npm install into a temp project: the package as users install it");
  const { work, project } = installPackedPackage("repository");
  try {
    const child = spawnSync(process.execPath, [__filename, ...process.argv.slice(2)], {
      stdio: "inherit",
      env: { ...process.env, [INSTALLED_PROJECT]: project, NODE_PATH: path.join(project, "node_modules") },
    });
    process.exitCode = child.status ?? 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
