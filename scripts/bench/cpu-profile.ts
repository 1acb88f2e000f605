// Preloaded (NODE_OPTIONS=--require) into every node process the pulumi CLI starts when `npm run bench -- --cpu-prof
// DIR` is given: Node 20 refuses --cpu-prof in NODE_OPTIONS, so this starts the V8 profiler through the inspector and
// writes DIR/<pid>.cpuprofile when the process ends (the engine stops providers with SIGINT/SIGTERM). Open the files
// in Chrome DevTools or speedscope.
import { Session } from "node:inspector";
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";

const dir = process.env.BENCH_CPU_PROF_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.start");
  // When profiling started, as epoch ms: V8's own timestamps have an arbitrary origin, and bench/split.ts lines the
  // samples up with the gRPC calls the process served (bench/timeline-preload.ts).
  const epochStartMs = performance.timeOrigin + performance.now();
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    // An in-thread inspector session answers synchronously, so this also works from the 'exit' handler.
    session.post("Profiler.stop", (err, result) => {
      if (!err)
        writeFileSync(path.join(dir, `${process.pid}.cpuprofile`), JSON.stringify({ ...result.profile, epochStartMs }));
    });
  };
  process.on("exit", write);
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.once(signal, () => {
      write();
      process.exit(130);
    });
}
