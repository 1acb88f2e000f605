// C.6: the Elasticsearch duration format (`TimeValue.parseTimeValue`), checked at preview with the server's rules.
const UNIT_CASE_INSENSITIVE = /^(nanos|micros|ms|s|h|d)$/i;
const UNITS_HINT = 'use a whole number and one of the units nanos, micros, ms, s, m, h, d (e.g. "7d"; no w or y)';

/** Why Elasticsearch would refuse this duration, or undefined when it accepts it. */
export function durationProblem(value: string): string | undefined {
  const v = value.trim();
  if (v === "0" || v === "-1") return undefined; // accepted without a unit
  const parts = /^(-?[0-9.]+)\s*([A-Za-z]*)$/.exec(v);
  const unit = parts?.[2] ?? "";
  // `m` is minutes only in lower case (`M` is not a unit).
  if (!parts || !(UNIT_CASE_INSENSITIVE.test(unit) || unit === "m"))
    return `"${value}" has a missing or unrecognised unit: ${UNITS_HINT}`;
  const amount = parts[1];
  if (!/^-?\d+$/.test(amount))
    return /^-?\d*\.\d+$/.test(amount)
      ? `"${value}": fractional durations are not supported: use a whole number of a smaller unit (e.g. 36h, not 1.5d)`
      : `"${value}" is not a number followed by a unit: ${UNITS_HINT}`;
  if (amount.startsWith("-"))
    return `"${value}": negative durations are not supported: give a positive duration, or leave expiration unset for a key that never expires`;
  return undefined;
}
