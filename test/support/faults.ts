// The fault schedule every create route is tested with: two 429s (retried as not processed), a 503 after the write
// was committed, a dropped connection after the write was committed, and a plain 503. Rules fire in order.
import type { FaultRule } from "../../emulator";

type Route = Pick<FaultRule, "listener" | "method" | "path">;

export function createRouteFaults(route: Route): FaultRule[] {
  return [
    { ...route, kind: "status", status: 429, retryAfterSeconds: 1, count: 2 },
    { ...route, kind: "commit-then-fail", status: 503, count: 1 },
    { ...route, kind: "commit-then-fail", status: 0, count: 1 },
    { ...route, kind: "status", status: 503, retryAfterSeconds: 0, count: 1 },
  ];
}
