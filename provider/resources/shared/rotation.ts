// Scheduled rotation (README, Rotation): the inputs that set a key's schedule and overlap, the rules between them
// (refused at preview), and the instants they give (`rotatesAt`). Whether a key is due is asked of the server, never of
// this machine's clock (key-schedule.ts).
import { z } from "zod";
import { durationMs, durationProblem } from "./duration";
import { keyExpiration, rotationTrigger } from "./fields";

function durationInput(field: string, unset: string) {
  return z.string({ error: `must be an Elasticsearch duration such as "7d"` }).superRefine((v, ctx) => {
    const problem = durationProblem(v, {
      unset,
      zero: `${field} must be a positive duration`,
      what: field,
    });
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
}

export const rotateAfter = durationInput("rotateAfter", "leave rotateAfter unset for no schedule")
  .optional()
  .describe(
    'Rotate the key this long after it was created (an Elasticsearch duration, e.g. `"25d"`): once it is due by the server\'s clock, `preview` shows a replacement ("rotation due since …") and `up` makes the new key first.',
  );

export const rotateBeforeExpiry = durationInput(
  "rotateBeforeExpiry",
  "leave rotateBeforeExpiry unset to rotate only by rotateAfter",
)
  .optional()
  .describe(
    'Rotate the key this long before it expires (e.g. `"5d"`); needs `expiration`. With `rotateAfter` too, whichever comes first.',
  );

export const retireAfter = durationInput("retireAfter", "leave retireAfter unset to invalidate the old key at once")
  .optional()
  .describe(
    'Overlap on replacement (e.g. `"24h"`): the old key is not invalidated but set to expire this long after the new key exists, so consumers that still hold it keep working (Elasticsearch 8.13+, the key\'s owner; otherwise it is invalidated at once, said at preview). `destroy` invalidates retiring keys too.',
  );

/**
 * The inputs every API key resource with a schedule shares: its lifetime, the rotation trigger, the schedule and the
 * overlap (the object schema then refines them with `refineSchedule`).
 */
export const apiKeyScheduleInputs = {
  expiration: keyExpiration
    .optional()
    .describe('Lifetime as an Elasticsearch duration (`"30d"`, `"12h"`); unset means the key never expires.'),
  rotationTrigger: rotationTrigger.describe(
    "Any change rotates the key: the new key is created before the old one is invalidated (or retires, with `retireAfter`).",
  ),
  rotateAfter,
  rotateBeforeExpiry,
  retireAfter,
};

interface Schedule {
  expiration?: string;
  rotateAfter?: string;
  rotateBeforeExpiry?: string;
  retireAfter?: string;
}

const valid = (v: string | undefined) => v !== undefined && durationProblem(v) === undefined;

/** The rules between the schedule's fields (each field is checked on its own by its schema). */
export function scheduleProblems(s: Schedule): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  if (s.rotateBeforeExpiry !== undefined && s.expiration === undefined)
    problems.push({
      field: "rotateBeforeExpiry",
      message:
        "needs expiration: a key without one never expires. Set expiration, or use rotateAfter to rotate a key that never expires",
    });
  if (
    valid(s.expiration) &&
    valid(s.rotateBeforeExpiry) &&
    durationMs(s.rotateBeforeExpiry!) >= durationMs(s.expiration!)
  )
    problems.push({
      field: "rotateBeforeExpiry",
      message: "is not shorter than expiration, so every new key would be due at once: make it shorter than expiration",
    });
  if (valid(s.expiration) && valid(s.rotateAfter) && durationMs(s.rotateAfter!) >= durationMs(s.expiration!))
    problems.push({
      field: "rotateAfter",
      message:
        "is not shorter than expiration, so the key would expire before it rotates: shorten rotateAfter, or use rotateBeforeExpiry",
    });
  if (valid(s.rotateAfter) && valid(s.retireAfter) && durationMs(s.retireAfter!) >= durationMs(s.rotateAfter!))
    problems.push({
      field: "retireAfter",
      message:
        "is not shorter than rotateAfter, so overlaps would pile up: make the overlap shorter than the rotation period",
    });
  return problems;
}

/** The zod refinement that reports `scheduleProblems` on the inputs, each under its field. */
export function refineSchedule(s: Schedule, ctx: z.RefinementCtx): void {
  for (const p of scheduleProblems(s)) ctx.addIssue({ code: "custom", path: [p.field], message: p.message });
}

/** When the key is due (ISO 8601), from its creation and expiry instants (the server's, epoch ms); or undefined. */
export function rotatesAtOf(s: Schedule, creationMs?: number, expirationMs?: number): string | undefined {
  const at: number[] = [];
  if (s.rotateAfter !== undefined && creationMs !== undefined) at.push(creationMs + durationMs(s.rotateAfter));
  if (s.rotateBeforeExpiry !== undefined && expirationMs !== undefined)
    at.push(expirationMs - durationMs(s.rotateBeforeExpiry));
  return at.length ? new Date(Math.min(...at)).toISOString() : undefined;
}

/** Whether the inputs set a schedule at all. */
export const hasSchedule = (s: Schedule) => s.rotateAfter !== undefined || s.rotateBeforeExpiry !== undefined;

/** The input fields that change a key's schedule or overlap only: changed in place, never a new key. */
export const SCHEDULE_FIELDS = ["rotateAfter", "rotateBeforeExpiry", "retireAfter"] as const;
