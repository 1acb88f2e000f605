// Preloaded (NODE_OPTIONS=--require) into every node process the pulumi CLI starts when `npm run bench -- --split`
// breaks an operation down: writes BENCH_TIMELINE_DIR/<pid>.timeline.json when the process ends — when it started,
// when it first wrote to stdout (a plugin's port), each gRPC call it served (path, start, end; epoch ms) and its CPU.
// It wraps grpc-js's Server.addService as the process loads grpc-js, and loads nothing itself.
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";

export interface Timeline {
  pid: number;
  script: string;
  startedAt: number;
  firstStdoutAt?: number;
  calls: [string, number, number][];
  cpuMs: number;
}

const dir = process.env.BENCH_TIMELINE_DIR;
if (dir) {
  const now = () => performance.timeOrigin + performance.now();
  const record: Timeline = {
    pid: process.pid,
    script: process.argv[1] ?? "",
    startedAt: performance.timeOrigin,
    calls: [],
    cpuMs: 0,
  };
  const write = process.stdout.write;
  process.stdout.write = function (this: NodeJS.WriteStream, ...args: Parameters<typeof write>) {
    record.firstStdoutAt ??= now();
    process.stdout.write = write;
    return write.apply(this, args);
  } as typeof write;

  type Unary = (call: unknown, callback: (...a: unknown[]) => void) => void;
  type AddService = (service: Record<string, { path: string }>, impl: Record<string, Unary>) => void;
  const Module = require("node:module") as { _load: (request: string, ...rest: unknown[]) => unknown };
  const load = Module._load;
  let patched = false;
  Module._load = function (request: string, ...rest: unknown[]) {
    const exported = load.call(this, request, ...rest);
    if (request === "@grpc/grpc-js" && !patched) {
      patched = true;
      const proto = (exported as { Server: { prototype: { addService: AddService } } }).Server.prototype;
      const add = proto.addService;
      proto.addService = function (this: unknown, service, impl) {
        // grpc-js finds a method's handler by its name or its originalName, own or inherited: keep that.
        const timed: Record<string, Unary> = {};
        for (const [k, def] of Object.entries(service)) {
          const name = impl[k] ? k : ((def as { originalName?: string }).originalName ?? k);
          const fn = impl[name];
          if (typeof fn !== "function") continue;
          timed[name] = (call, callback) => {
            const started = now();
            fn.call(impl, call, (...a) => {
              record.calls.push([def.path, started, now()]);
              callback(...a);
            });
          };
        }
        return add.call(this, service, timed);
      };
    }
    return exported;
  };

  let written = false;
  const flush = () => {
    if (written) return;
    written = true;
    const cpu = process.cpuUsage();
    record.cpuMs = (cpu.user + cpu.system) / 1000;
    writeFileSync(path.join(dir, `${process.pid}.timeline.json`), JSON.stringify(record));
  };
  process.on("exit", flush);
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.once(signal, () => {
      flush();
      process.exit(130);
    });
}
