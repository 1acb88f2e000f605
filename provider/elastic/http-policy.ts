// Timeouts, retry budget and backoff from the connection's environment (`ELASTIC_KEYS_HTTP_*`), else defaults.
import type { HttpPolicy } from "./target";

/** The policy from `ELASTIC_KEYS_HTTP_*` variables of the given environment (the connection's), else defaults. */
export function policyFrom(env: Readonly<Record<string, string | undefined>>): HttpPolicy {
  const number = (name: string, fallback: number): number => {
    const v = Number(env[name]);
    return env[name] !== undefined && env[name] !== "" && Number.isFinite(v) && v >= 0 ? v : fallback;
  };
  const budgetMs = number("ELASTIC_KEYS_HTTP_BUDGET_MS", 120_000);
  const timeoutMs = number("ELASTIC_KEYS_HTTP_TIMEOUT_MS", 30_000);
  return {
    timeoutMs,
    createTimeoutMs: number("ELASTIC_KEYS_HTTP_CREATE_TIMEOUT_MS", Math.max(timeoutMs, budgetMs)),
    budgetMs,
    baseDelayMs: number("ELASTIC_KEYS_HTTP_BASE_DELAY_MS", 200),
    maxDelayMs: 5_000,
  };
}
