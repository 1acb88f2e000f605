// Pure helpers of the benchmark: request-log grouping by route, the API-minimum table for creates, fault rules for
// the soak, and the goal checks. No I/O, so they can be unit-tested.
import type { FaultRule, RequestLogEntry } from "../../emulator";
import { RESOURCES, type ResourceType } from "../../provider/framework/registry";

/** The resource types, from the registry (program.ts must give a sample of each: its table is keyed by them). */
export const KINDS: readonly ResourceType[] = RESOURCES.map((r) => r.lifecycle.definition.type);
export type Kind = ResourceType;

/** N resources as an even mix of the kinds (roles counted): kind i % KINDS.length. */
export function mix(n: number): Record<Kind, number> {
  const counts = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<Kind, number>;
  for (let i = 0; i < n; i++) counts[KINDS[i % KINDS.length]]++;
  return counts;
}

// Path segments that name one object become placeholders, so the log groups by route.
const ROUTE_TEMPLATES: [RegExp, string][] = [
  [/^\/s\/[^/]+(?=\/)/, "/s/{space}"],
  [/^(\/_security\/role)\/[^/]+$/, "$1/{name}"],
  [/^(\/_security\/cross_cluster\/api_key)\/[^/]+$/, "$1/{id}"],
  [/^(\/_security\/user)\/(?!_has_privileges$)[^/]+$/, "$1/{name}"],
  [/^((?:\/s\/\{space\})?\/api\/fleet\/enrollment_api_keys)\/[^/]+$/, "$1/{id}"],
  [/^((?:\/s\/\{space\})?\/api\/fleet\/agent_policies)\/[^/]+$/, "$1/{id}"],
];

/** `GET /_security/api_key?id&owner`: method, path with placeholders, and the query's parameter names. */
export function routeOf(entry: Pick<RequestLogEntry, "method" | "path" | "query">): string {
  let path = entry.path;
  for (const [pattern, template] of ROUTE_TEMPLATES) path = path.replace(pattern, template);
  const raw = entry.query.startsWith("?") ? entry.query.slice(1) : entry.query;
  const keys = [...new Set([...new URLSearchParams(raw).keys()])].sort();
  return `${entry.method} ${path}${keys.length ? `?${keys.join("&")}` : ""}`;
}

export const isWrite = (method: string): boolean => method !== "GET" && method !== "HEAD";

export function countByRoute(entries: readonly RequestLogEntry[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of entries) out[routeOf(e)] = (out[routeOf(e)] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * The fewest requests `counts` creates can make: each type's own `createRequests` (its definition says why), every
 * create's routes once per create, the once-per-process routes once whichever types need them. Before the first
 * create on a service, that service shows it answers at its URL (provider/elastic/service-proof.ts): for
 * Elasticsearch the caller's identity, which key creates need anyway; for Fleet `GET /api/status`.
 */
export function createMinimum(counts: Record<Kind, number>): Record<string, number> {
  const expected: Record<string, number> = {};
  for (const r of RESOURCES) {
    const n = counts[r.lifecycle.definition.type] ?? 0;
    if (n === 0) continue;
    const { each = [], oncePerProcess = [] } = r.lifecycle.definition.createRequests ?? {};
    for (const route of each) expected[route] = (expected[route] ?? 0) + n;
    for (const route of oncePerProcess) expected[route] = 1;
  }
  return expected;
}

/** Each type's requests per create, for the goal's line: e.g. `ApmRole 2 (GET, PUT), ApmAgentKey 1 (POST)`. */
export function createMinimumSummary(): string {
  return RESOURCES.map(({ lifecycle: { definition: d } }) => {
    const each = d.createRequests?.each ?? [];
    return `${d.type} ${each.length} (${each.map((route) => route.split(" ")[0]).join(", ")})`;
  }).join(", ");
}

/** Routes whose count differs from the expectation, as `route: got X, minimum Y`. */
export function routeMismatches(got: Record<string, number>, expected: Record<string, number>): string[] {
  const routes = [...new Set([...Object.keys(got), ...Object.keys(expected)])].sort();
  return routes
    .filter((r) => (got[r] ?? 0) !== (expected[r] ?? 0))
    .map((r) => `${r}: got ${got[r] ?? 0}, minimum ${expected[r] ?? 0}`);
}

/** Write routes of both listeners (everything the provider can change), as fault-rule path patterns by method. */
export const WRITE_ROUTES: { listener: "es" | "kibana"; methods: string[]; path: string }[] = [
  { listener: "es", methods: ["PUT", "POST", "DELETE"], path: "^/_security/role/[^/]+$" },
  { listener: "es", methods: ["POST", "PUT", "DELETE"], path: "^/_security/api_key$" },
  { listener: "es", methods: ["PUT"], path: "^/_security/api_key/[^/]+$" },
  { listener: "es", methods: ["POST", "PUT"], path: "^/_security/cross_cluster/api_key(/[^/]+)?$" },
  { listener: "es", methods: ["PUT", "POST", "DELETE"], path: "^/_security/user/(?!_has_privileges$)[^/]+$" },
  { listener: "kibana", methods: ["POST"], path: "^/api/apm/agent_keys$" },
  { listener: "kibana", methods: ["POST"], path: "^/internal/apm/api_key/invalidate$" },
  { listener: "kibana", methods: ["POST", "DELETE"], path: "^/api/fleet/enrollment_api_keys(/[^/]+)?$" },
  { listener: "kibana", methods: ["POST", "PUT", "DELETE"], path: "^/api/fleet/agent_policies(/[^/]+)?$" },
  { listener: "kibana", methods: ["POST", "PUT", "DELETE"], path: "^/api/spaces/space(/[^/]+)?$" },
];

/** Overall chance of each fault on a write request (the issue's soak mix). */
export const SOAK_MIX = { throttle429: 0.1, unavailable503: 0.1, reset: 0.05, commitThenFail: 0.02 };

/**
 * Fault rules giving every write request, independently: 10% 429 and 10% 503 (both with Retry-After), 5% connection
 * reset, and 2% commit-then-fail (half answered 503, half cut). The emulator tries a route's rules in order and the
 * first that fires wins, so each rule's rate is its overall share divided by what the rules before it left.
 */
export function soakFaults(retryAfterSeconds = 1): FaultRule[] {
  const shares: Omit<FaultRule, "path" | "listener" | "method" | "rate">[] = [];
  const rates: number[] = [];
  const add = (share: number, rule: Omit<FaultRule, "path" | "listener" | "method" | "rate">) => {
    shares.push(rule);
    rates.push(share);
  };
  add(SOAK_MIX.throttle429, { kind: "status", status: 429, retryAfterSeconds });
  add(SOAK_MIX.unavailable503, { kind: "status", status: 503, retryAfterSeconds });
  add(SOAK_MIX.reset, { kind: "reset" });
  add(SOAK_MIX.commitThenFail / 2, { kind: "commit-then-fail", status: 503 });
  add(SOAK_MIX.commitThenFail / 2, { kind: "commit-then-fail", status: 0 });
  const conditional: number[] = [];
  let left = 1;
  for (const share of rates) {
    conditional.push(share / left);
    left -= share;
  }
  const rules: FaultRule[] = [];
  for (const route of WRITE_ROUTES)
    for (const method of route.methods)
      shares.forEach((rule, i) =>
        rules.push({ ...rule, listener: route.listener, method, path: route.path, rate: conditional[i] }),
      );
  return rules;
}

export interface Goal {
  goal: string;
  met: boolean;
  detail: string;
}

export const ratio = (ours: number, floor: number): number => (floor > 0 ? ours / floor : Number.POSITIVE_INFINITY);
