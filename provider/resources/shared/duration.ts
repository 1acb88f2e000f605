// docs/elastic-api.md C.6: the Elasticsearch duration format (`TimeValue.parseTimeValue`), checked at preview with the
// server's rules, and bounded to what makes a usable key: not expired at birth, and an expiry a date can hold.
const UNIT_MS: Record<string, number> = { nanos: 1e-6, micros: 1e-3, ms: 1, s: 1e3, m: 60e3, h: 3600e3, d: 86400e3 };
const UNITS_HINT = 'use a whole number and one of the units nanos, micros, ms, s, m, h, d (e.g. "7d"; no w or y)';

/** The shortest lifetime accepted: a shorter key could expire before the deployment that creates it ends. */
export const MIN_EXPIRATION_MS = 60_000;
/** The longest lifetime accepted (1000 years): far inside what Elasticsearch and a date can represent. */
export const MAX_EXPIRATION_MS = 365_000 * 86400e3;
const RANGE = 'from "1m" (one minute) to "365000d" (1000 years)';

/** The unit as Elasticsearch reads it: case-insensitive, except `m` (minutes; `M` is not a unit). */
function unitOf(raw: string): string | undefined {
  if (raw === "m") return "m";
  const lower = raw.toLowerCase();
  return lower !== "m" && lower in UNIT_MS ? lower : undefined;
}

/**
 * Why this duration cannot be used as a key's expiration, or undefined when it can. Never quotes the value: an input
 * may be a Pulumi secret, and check failures are printed.
 */
export function durationProblem(
  value: string,
  { unset, zero, what }: { unset: string; zero: string; what: string } = {
    unset: "leave expiration unset for a key that never expires",
    zero: "would create a key that is expired at birth",
    what: "the lifetime",
  },
): string | undefined {
  const v = value.trim();
  if (v === "0" || v === "-1") return `${zero}: give a duration ${RANGE}, or ${unset}`;
  const parts = /^(-?[0-9.]+)\s*([A-Za-z]*)$/.exec(v);
  const unit = parts ? unitOf(parts[2]) : undefined;
  if (!parts || !unit) return `has a missing or unrecognised unit: ${UNITS_HINT}`;
  const amount = parts[1];
  if (!/^-?\d+$/.test(amount))
    return /^-?\d*\.\d+$/.test(amount)
      ? `fractional durations are not supported: use a whole number of a smaller unit (e.g. 36h for a day and a half)`
      : `is not a number followed by a unit: ${UNITS_HINT}`;
  if (amount.startsWith("-")) return `negative durations are not supported: give a positive duration, or ${unset}`;
  const ms = Number(amount) * UNIT_MS[unit];
  if (ms < MIN_EXPIRATION_MS) return `is too short: ${what} must be ${RANGE}`;
  if (ms > MAX_EXPIRATION_MS) return `is too long: ${what} must be ${RANGE}`;
  return undefined;
}

/** The milliseconds a duration that `durationProblem` accepts stands for. */
export function durationMs(value: string): number {
  const parts = /^(\d+)\s*([A-Za-z]+)$/.exec(value.trim());
  const unit = parts ? unitOf(parts[2]) : undefined;
  if (!parts || !unit) throw new Error(`not a duration: check it with durationProblem first`);
  return Number(parts[1]) * UNIT_MS[unit];
}
