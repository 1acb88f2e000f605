// Timeouts, retry budget and backoff from the connection's settings (the `http*` settings of the settings table:
// stack config, then `ELASTIC_KEYS_HTTP_*`), else defaults.
import { integerSetting, type SettingsSource } from "./settings";
import type { HttpPolicy } from "./target";

/** The policy a connection's settings give; a value that is not a whole number is refused, naming its setting. */
export function policyFrom(source: SettingsSource): HttpPolicy {
  const budgetMs = integerSetting(source, "httpBudgetMs") ?? 120_000;
  const timeoutMs = integerSetting(source, "httpTimeoutMs") ?? 30_000;
  return {
    timeoutMs,
    createTimeoutMs: integerSetting(source, "httpCreateTimeoutMs") ?? Math.max(timeoutMs, budgetMs),
    budgetMs,
    baseDelayMs: integerSetting(source, "httpBaseDelayMs") ?? 200,
    maxDelayMs: 5_000,
  };
}
