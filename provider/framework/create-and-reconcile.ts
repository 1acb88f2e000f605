// The one way keys are created. A create is not idempotent (key names are not unique, and a lost answer loses the
// key's secret), so when an attempt's outcome is unknown (no answer, or one that proves neither success nor refusal:
// any 5xx, 408 or 429, an answer that is not Elastic's or of a shape not known, answers.ts expectCreated), what it may have made is found by a mark only this create
// carries (a random value in the key's metadata, or a generated name) and settled before trying again: adopted when
// its secret can be read back (Fleet), invalidated otherwise. Nothing is touched that this create cannot prove it
// made. When the outcome still cannot be settled (the server stays unreachable, or the attempts run out), the create
// fails with a partial state the engine keeps, so the next `up` replaces it and `refresh`/`destroy` settle it:
// no live key is ever left that no state holds.
import { ElasticKeysError, hasCode } from "../elastic/errors";

/** The metadata key whose value marks which create made a key; kept out of diffs and refused in user metadata. */
export const CREATE_MARK_METADATA = "pulumi_elastic_keys_create";

/** Something an earlier attempt of this create provably made. */
export interface Leftover<T> {
  id: string;
  /** Already gone (invalidated, revoked): nothing to remove, but it proves the create was carried out. */
  dead?: boolean;
  /** Present when it can be taken over as the result (its secret can be read back). */
  adoptable?: T;
  /** Removes it, confirmed by the server. */
  discard(): Promise<void>;
}

export interface CreateAttempts<T extends { id: string }> {
  /** One create request; throws outcome_unknown when it may or may not have been applied. */
  attempt(): Promise<T>;
  /** Everything attempts of this create made that is still live, found by this create's own mark. */
  leftovers(): Promise<Leftover<T>[]>;
  /** What state keeps for a create that could not be settled (see unresolvedId). */
  unresolved(): Record<string, unknown>;
  /** The value the mark is known by, for the unresolved resource's id. */
  mark: string;
}

const MAX_ATTEMPTS = 5;

/** The id of a resource whose create could not be settled; its outputs carry what is needed to settle it later. */
export const UNRESOLVED_PREFIX = "unresolved-create:";
export const isUnresolvedId = (id: string): boolean => id.startsWith(UNRESOLVED_PREFIX);

/**
 * The output an unresolved create keeps when the server may still carry the create out (no answer came in time): when
 * it was given up on. Such a create stays in state until its mark is found, since finding nothing yet proves nothing
 * (README, Troubleshooting).
 */
export const IN_FLIGHT_OUTPUT = "createInFlightSince";

/** Adopts one leftover if it can and discards every other: nothing the attempts made stays live but what returns. */
export async function settleLeftovers<T extends { id: string }>(leftovers: Leftover<T>[]): Promise<T | undefined> {
  const adopted = leftovers.find((l) => l.adoptable && !l.dead)?.adoptable;
  for (const l of live(leftovers)) if (l.id !== adopted?.id) await l.discard();
  return adopted;
}

/** The leftovers still live (what discarding removes). */
export const live = <T>(leftovers: Leftover<T>[]): Leftover<T>[] => leftovers.filter((l) => !l.dead);

/** Discards every live leftover (destroying a create that was never settled). */
export async function discardLeftovers(leftovers: Leftover<unknown>[]): Promise<void> {
  for (const l of live(leftovers)) await l.discard();
}

/** 429s do not count against MAX_ATTEMPTS, up to this many: Elastic sheds load with them (no write is lost by waiting). */
const MAX_BUSY = 5;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function createAndReconcile<T extends { id: string }>(c: CreateAttempts<T>): Promise<T> {
  let unknown: ElasticKeysError | undefined;
  for (let attempt = 1, busy = 0; attempt <= MAX_ATTEMPTS; attempt++) {
    if (unknown) {
      // Wait as the server asked before looking: a write it is still finishing shows up by then.
      if (unknown.details.retryAfterMs) await sleep(unknown.details.retryAfterMs);
      const adopted = await settleOrKeep(c, unknown);
      if (adopted) return adopted;
    }
    try {
      return await c.attempt();
    } catch (err) {
      if (!hasCode(err, "outcome_unknown")) throw err;
      // Timed out: the server may still be carrying the create out, so nothing found now would prove anything, and
      // a retry could make a second key. Keep the mark in state; the next up settles it once the server is done.
      if (err.details.inFlight) throw keepForLater(c, err, err);
      unknown = err;
      // A 429 after sending is settled like any lost answer, but says the server is busy rather than failing.
      if (err.details.status === 429 && busy++ < MAX_BUSY) attempt--;
    }
  }
  const adopted = await settleOrKeep(c, unknown!);
  if (adopted) return adopted;
  throw unknown!.with({
    fix: `Elastic failed ${MAX_ATTEMPTS} creates in a row; whatever they made was found by this create's mark and removed, so nothing was left behind. Run \`pulumi up\` again once Elastic is healthy`,
  });
}

/** Adopts or discards what the attempts made; when that cannot be done, fails the create keeping its mark in state. */
async function settleOrKeep<T extends { id: string }>(
  c: CreateAttempts<T>,
  unknown: ElasticKeysError,
): Promise<T | undefined> {
  try {
    return await settleLeftovers(await c.leftovers());
  } catch (err) {
    if (hasCode(err, "conflict")) throw err; // the server's own answer: someone else's object holds the name
    throw keepForLater(c, unknown, err);
  }
}

function keepForLater<T extends { id: string }>(
  c: CreateAttempts<T>,
  unknown: ElasticKeysError,
  why: unknown,
): ElasticKeysError {
  const reason =
    why === unknown
      ? "the create may still be in progress"
      : String(why instanceof Error ? why.message : why).split("\n")[0];
  return unknown.with({
    fix: `what this create may have made cannot be settled now (${reason}), so it stays in state as a resource that failed to create, with the mark that finds it: the next \`pulumi up\` replaces it and removes whatever it made, and \`pulumi destroy\` removes it (see README, Troubleshooting)`,
    partialState: {
      id: `${UNRESOLVED_PREFIX}${c.mark}`,
      outs: {
        ...c.unresolved(),
        ...(unknown.details.inFlight ? { [IN_FLIGHT_OUTPUT]: new Date().toISOString() } : {}),
      },
    },
    cause: why,
  });
}
