// Stack traces while Pulumi constructs one of our resources (the base constructor calls quietStackTraces() around
// `super`). Two reasons:
// - Cost: Pulumi wraps each output property in four promises and captures a stack trace for each
//   (runtime/debuggable.js, for its promise-leak report): ~40 per resource here, most of a preview's program-side
//   CPU. Capture is off (Error.stackTraceLimit = 0) unless PULUMI_DEBUG_PROMISE_LEAKS asks for those traces.
//   Pulumi's own capture of where a resource was declared sets its own limit, so it still works.
// - Where: Pulumi records as the resource's source position the frame a fixed depth below its Resource
//   constructor, which for a class built on a base class is inside this SDK. Our frames are left out of the stack
//   it sees, so the position is the user's line. Any Error.prepareStackTrace already installed (source maps under
//   ts-node) still formats the remaining frames.
import * as path from "node:path";

const SDK_DIR = __dirname + path.sep;

type PrepareStackTrace = (err: Error, sites: NodeJS.CallSite[]) => unknown;
/** Error's settable V8 hooks; prepareStackTrace is absent unless something installed one. */
const V8Error = Error as { stackTraceLimit: number; prepareStackTrace?: PrepareStackTrace };

function formatLikeV8(err: Error, sites: NodeJS.CallSite[]): string {
  return [String(err), ...sites.map((s) => `    at ${s.toString()}`)].join("\n");
}

/** Changes the process-wide settings until the returned function (idempotent) restores them. */
export function quietStackTraces(): () => void {
  const limit = V8Error.stackTraceLimit;
  const prepare = V8Error.prepareStackTrace;
  if (!process.env.PULUMI_DEBUG_PROMISE_LEAKS) V8Error.stackTraceLimit = 0;
  V8Error.prepareStackTrace = (err, sites) => {
    const kept = sites.filter((s) => !(s.getFileName() ?? "").startsWith(SDK_DIR));
    return (prepare ?? formatLikeV8)(err, kept);
  };
  return () => {
    V8Error.stackTraceLimit = limit;
    V8Error.prepareStackTrace = prepare;
  };
}
