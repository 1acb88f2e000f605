// Where a provider process's CPU goes, from a V8 .cpuprofile (bench/cpu-profile.ts writes them): each sample's time
// is given to the code it ran (the package or room of its innermost frame outside Node's own code; module loading
// apart) and, by its time, to the gRPC calls in flight then (bench/timeline-preload.ts records them: a sample while
// three Creates and one Check are in flight counts ¾ to Create). Also reads a process's CPU from /proc/<pid>/stat.
// Pure: text in, milliseconds out.

export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
  /** Epoch ms when profiling started (added by bench/cpu-profile.ts). */
  epochStartMs?: number;
}

/** A served gRPC call: its path (`/pulumirpc.ResourceProvider/Create`), start and end in epoch ms. */
export type Call = [string, number, number];

export interface ProfileSplit {
  /** Sampled time that ran code (idle left out), ms. */
  busyMs: number;
  /** Busy time by what ran: ours (plugin, provider, sdk), grpc, protobuf, zod, undici, pulumi-sdk, node, gc, v8. */
  byCode: Record<string, number>;
  /** Busy time by the gRPC calls in flight (Check, Diff, Create, Delete…; "no call in flight" between them). */
  byOperation: Record<string, number>;
}

/** The part of the code a frame belongs to, by its script URL. */
export function codeOf(functionName: string, url: string): string {
  if (functionName === "(garbage collector)") return "gc";
  if (functionName === "(program)" || functionName === "(root)") return "v8";
  if (/node_modules\/@grpc\//.test(url)) return "grpc";
  if (/node_modules\/google-protobuf\/|@pulumi\/pulumi\/proto\//.test(url)) return "protobuf";
  if (/node_modules\/zod\//.test(url)) return "zod";
  if (/node_modules\/undici\//.test(url)) return "undici";
  if (/node_modules\/@pulumi\/pulumi\//.test(url)) return "pulumi-sdk";
  if (/\/plugin\/(values|service)\.js$/.test(url)) return "ours: value and message conversion";
  const ours =
    /\/dist\/(plugin|provider|sdk)\//.exec(url) ?? /pulumi-elastic-keys\/dist\/(plugin|provider|sdk)\//.exec(url);
  if (ours) return `ours: ${ours[1]}`;
  return "node";
}

const add = (m: Record<string, number>, k: string, v: number) => (m[k] = (m[k] ?? 0) + v);

const MODULE_LOADING = /^(Module\._load|Module\._compile|wrapSafe|compileFunction|loadESM)$/;

export function splitProfile(profile: CpuProfile, calls: readonly Call[] = []): ProfileSplit {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // A sample's code: module loading if any frame is loading a module, else its innermost frame outside Node's own.
  const codeOfNode = new Map<number, string>();
  const codeOfSample = (id: number): string => {
    const known = codeOfNode.get(id);
    if (known) return known;
    let code: string | undefined;
    let result: string | undefined;
    for (let at: number | undefined = id; at !== undefined && !result; at = parent.get(at)) {
      const f = byId.get(at)!.callFrame;
      if (MODULE_LOADING.test(f.functionName)) result = "module loading";
      else if (code === undefined && f.functionName !== "(root)" && codeOf(f.functionName, f.url) !== "node")
        code = codeOf(f.functionName, f.url);
    }
    result ??= code ?? "node";
    codeOfNode.set(id, result);
    return result;
  };
  const byCode: Record<string, number> = {};
  const byOperation: Record<string, number> = {};
  const sorted = [...calls].sort((a, b) => a[1] - b[1]);
  let busy = 0;
  let t = profile.epochStartMs ?? 0;
  profile.samples.forEach((id, i) => {
    t += (profile.timeDeltas[i] ?? 0) / 1000;
    // A sample's time is the gap to the next one (the last sample gets none).
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const node = byId.get(id);
    if (!node || node.callFrame.functionName === "(idle)") return;
    busy += ms;
    add(byCode, codeOfSample(id), ms);
    const inFlight = profile.epochStartMs === undefined ? [] : sorted.filter((c) => c[1] <= t && t <= c[2]);
    if (!inFlight.length) add(byOperation, "no call in flight", ms);
    for (const c of inFlight) add(byOperation, c[0].split("/").pop() ?? c[0], ms / inFlight.length);
  });
  const round = (m: Record<string, number>) =>
    Object.fromEntries(
      Object.entries(m)
        .sort(([, a], [, b]) => b - a)
        .map(([k, v]) => [k, Math.round(v)]),
    );
  return { busyMs: Math.round(busy), byCode: round(byCode), byOperation: round(byOperation) };
}

/**
 * A split rescaled to the process's measured CPU: a sample's time is the wall gap to the next sample, which on a busy
 * machine includes time the process waited for a core, so the profile gives the shares and the process its total.
 */
export function scaleSplit(s: ProfileSplit, cpuMs: number): ProfileSplit {
  const k = s.busyMs > 0 ? cpuMs / s.busyMs : 0;
  const scale = (m: Record<string, number>) =>
    Object.fromEntries(Object.entries(m).map(([key, v]) => [key, Math.round(v * k)]));
  return { busyMs: Math.round(cpuMs), byCode: scale(s.byCode), byOperation: scale(s.byOperation) };
}

/** Adds splits of several processes of one kind. */
export function sumSplits(splits: ProfileSplit[]): ProfileSplit {
  const out: ProfileSplit = { busyMs: 0, byCode: {}, byOperation: {} };
  for (const s of splits) {
    out.busyMs += s.busyMs;
    for (const [k, v] of Object.entries(s.byCode)) add(out.byCode, k, v);
    for (const [k, v] of Object.entries(s.byOperation)) add(out.byOperation, k, v);
  }
  return out;
}

/** `/proc/<pid>/stat`: the command name, the parent pid and user + system CPU in clock ticks. */
export function parseProcStat(text: string): { comm: string; ppid: number; cpuTicks: number } {
  // The name is in parentheses and may hold spaces and parentheses itself: the fields after the last ")" are fixed.
  const close = text.lastIndexOf(")");
  const comm = text.slice(text.indexOf("(") + 1, close);
  const fields = text
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  // After the name: state(3) ppid(4) … utime(14) stime(15), counted from 1 with pid and name as 1 and 2.
  return { comm, ppid: Number(fields[1]), cpuTicks: Number(fields[11]) + Number(fields[12]) };
}
