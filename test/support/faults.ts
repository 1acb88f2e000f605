// The fault schedule every create route is tested with: two 429s (retried as not processed), a 503 after the write
// was committed, a dropped connection after the write was committed, and a plain 503. Rules fire in order.
import type { FaultRule } from "../../emulator";

type Route = Pick<FaultRule, "listener" | "method" | "path">;

const tooManyRequests = (route: Route): FaultRule => ({
  ...route,
  kind: "status",
  status: 429,
  retryAfterSeconds: 1,
  count: 2,
});
const unavailable = (route: Route): FaultRule => ({
  ...route,
  kind: "status",
  status: 503,
  retryAfterSeconds: 0,
  count: 1,
});

export function createRouteFaults(route: Route): FaultRule[] {
  return [
    tooManyRequests(route),
    { ...route, kind: "commit-then-fail", status: 503, count: 1 },
    { ...route, kind: "commit-then-fail", status: 0, count: 1 },
    unavailable(route),
  ];
}

/**
 * Only the faults of that schedule that the server answers without carrying the request out (429s, a plain 503):
 * for a role's PUT, which marks nothing that could tell its own committed write from another writer's.
 */
export function notCarriedOutFaults(route: Route): FaultRule[] {
  return [tooManyRequests(route), unavailable(route)];
}
