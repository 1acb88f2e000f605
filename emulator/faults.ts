// Fault injection (emulator/README.md, Fault rules). Latency rules add up; the first matching non-latency rule decides
// what happens to the request. A rule with `count` is spent after that many applications.
import { GARBLES, type Garble } from "./garble";
import { ListenerName } from "./http-types";

export interface FaultRule {
  listener?: ListenerName;
  method?: string;
  path: string;
  kind: "latency" | "status" | "reset" | "commit-then-fail" | "commit-then-garble";
  status?: number;
  /** commit-then-garble: what a proxy does to the real answer (garble.ts). */
  garble?: Garble;
  retryAfterSeconds?: number;
  latencyMs?: number;
  rate?: number;
  count?: number;
}

export interface FaultDecision {
  latencyMs: number;
  /** The rule that replaces, cuts or follows the handling of this request, if any. */
  action?: FaultRule;
}

interface ActiveRule {
  rule: FaultRule;
  pattern: RegExp;
  remaining: number;
}

const FAULT_KINDS = ["latency", "status", "reset", "commit-then-fail", "commit-then-garble"];

/** Validates rules from the admin surface; throws with a readable message. */
export function validateFaultRules(input: unknown): FaultRule[] {
  if (!Array.isArray(input)) throw new Error("faults must be an array of fault rules");
  return input.map((raw: unknown, i) => {
    if (typeof raw !== "object" || raw === null) throw new Error(`faults[${i}] must be an object`);
    const rule = raw as FaultRule;
    if (typeof rule.path !== "string") throw new Error(`faults[${i}].path must be a regex source string`);
    new RegExp(rule.path);
    if (!FAULT_KINDS.includes(rule.kind)) throw new Error(`faults[${i}].kind must be one of ${FAULT_KINDS.join(", ")}`);
    if (rule.kind === "commit-then-garble" && !GARBLES.includes(rule.garble as Garble))
      throw new Error(`faults[${i}].garble must be one of ${GARBLES.join(", ")}`);
    if (rule.listener !== undefined && rule.listener !== "es" && rule.listener !== "kibana") {
      throw new Error(`faults[${i}].listener must be "es" or "kibana"`);
    }
    return { ...rule };
  });
}

export class FaultInjector {
  private rules: ActiveRule[] = [];

  set(rules: FaultRule[]): void {
    this.rules = validateFaultRules(rules).map((rule) => ({
      rule,
      pattern: new RegExp(rule.path),
      remaining: rule.count ?? Number.POSITIVE_INFINITY,
    }));
  }

  clear(): void {
    this.rules = [];
  }

  decide(listener: ListenerName, method: string, path: string): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0 };
    for (const active of this.rules) {
      const { rule } = active;
      if (active.remaining <= 0) continue;
      if (rule.listener && rule.listener !== listener) continue;
      if (rule.method && rule.method.toUpperCase() !== method) continue;
      if (!active.pattern.test(path)) continue;
      if (rule.kind !== "latency" && decision.action) continue;
      if (Math.random() >= (rule.rate ?? 1)) continue;
      active.remaining--;
      if (rule.kind === "latency") decision.latencyMs += rule.latencyMs ?? 0;
      else decision.action = rule;
    }
    return decision;
  }
}
