// ES time values for `expiration` (docs/elastic-api.md C.6): <integer><unit>, units nanos|micros|ms|s|m|h|d,
// case-insensitive except "m"; "-1" and "0" without unit; no fractions, no negatives, no "w".
import { EsCause } from "../errors";

const UNIT_MS: Array<[RegExp, number]> = [
  [/^(-?\d+)\s*nanos$/i, 1e-6],
  [/^(-?\d+)\s*micros$/i, 1e-3],
  [/^(-?\d+)\s*ms$/i, 1],
  [/^(-?\d+)\s*s$/i, 1000],
  [/^(-?\d+)\s*m$/, 60_000],
  [/^(-?\d+)\s*h$/i, 3_600_000],
  [/^(-?\d+)\s*d$/i, 86_400_000],
];

/** Milliseconds of a duration, or null for "-1" (no expiration); throws the ES parse failure. */
export function parseExpiration(text: string): number | null {
  const value = text.trim();
  if (value === "-1") return null;
  if (value === "0") return 0;
  const cause = (reason: string): DurationError => new DurationError({ type: "parse_exception", reason });
  for (const [pattern, factor] of UNIT_MS) {
    const match = pattern.exec(value);
    if (!match) continue;
    const amount = Number(match[1]);
    if (amount < 0) {
      throw cause(
        `failed to parse setting [expiration] with value [${text}] as a time value: negative durations are not supported`,
      );
    }
    return Math.floor(amount * factor);
  }
  if (/^-?\d+\.\d+\s*[a-zA-Z]+$/.test(value)) {
    throw cause(`failed to parse [${text}], fractional time values are not supported`);
  }
  throw cause(
    `failed to parse setting [expiration] with value [${text}] as a time value: unit is missing or unrecognized`,
  );
}

export class DurationError extends Error {
  constructor(readonly esCause: EsCause) {
    super(esCause.reason);
  }
}
