// The create journal (create-journal.ts) in use: a create is recorded before it leaves and forgotten before its
// outcome is handed back; each resource type settles what dead processes left in the journal before its first
// operation in a process (up, refresh, destroy), on the cluster it is connected to.
import type { Connection } from "../elastic/connection";
import type { Target } from "../elastic/target";
import { live, type Leftover } from "./create-and-reconcile";
import {
  claim,
  entries,
  forgetCreate,
  journalDir,
  recordCreate,
  release,
  sharesUrl,
  writerGone,
} from "./create-journal";
import { rmSync } from "node:fs";

type Props = Record<string, unknown>;

/** What of a resource type the journal needs. */
export interface JournaledType {
  type: string;
  /** Where its creates go. */
  target(conn: Connection): Target;
  /** What finds, and removes, the objects a create with these outputs (inputs, mark, owner) made. */
  leftovers(conn: Connection, label: string, outs: Props): Promise<Leftover<unknown>[]>;
}

/** Runs a create with its journal entry: written before, removed before the outcome is returned (or thrown). */
export async function journaled<T>(
  conn: Connection,
  t: JournaledType,
  create: { mark: string | undefined; label: string; outs: Props },
  run: () => Promise<T>,
): Promise<T> {
  if (!create.mark) return run(); // nothing proves what this create made (an explicit Fleet name): no entry helps
  const dir = journalDir(conn.source.env);
  recordCreate(dir, {
    mark: create.mark,
    type: t.type,
    label: create.label,
    outs: create.outs,
    urls: [...t.target(conn).urls],
  });
  try {
    return await run();
  } finally {
    forgetCreate(dir, create.mark);
  }
}

export interface SettledEntry {
  label: string;
  mark: string;
  /** What was removed; empty when the interrupted create made nothing that is live. */
  removed: string[];
  /** Set when it could not be settled now (it stays in the journal). */
  error?: string;
}

/**
 * Settles the journal entries of one type, on the cluster this connection reaches, whose writers are gone: removes
 * what each interrupted create made, found by its mark, and drops the entry. An entry that cannot be settled now stays.
 */
export async function settleJournal(conn: Connection, t: JournaledType): Promise<SettledEntry[]> {
  const dir = journalDir(conn.source.env);
  const found = entries(dir).filter((e) => e.entry.type === t.type);
  if (found.length === 0) return [];
  const urls = t.target(conn).urls;
  const settled: SettledEntry[] = [];
  for (const { file, entry } of found) {
    if (!sharesUrl(entry.urls, urls) || !writerGone(entry.writer)) continue;
    const claimed = claim(file);
    if (!claimed) continue;
    try {
      const leftovers = live(await t.leftovers(conn, entry.label, entry.outs));
      for (const l of leftovers) await l.discard();
      rmSync(claimed, { force: true });
      settled.push({ label: entry.label, mark: entry.mark, removed: leftovers.map((l) => l.id) });
    } catch (err) {
      release(claimed);
      settled.push({ label: entry.label, mark: entry.mark, removed: [], error: (err as Error).message });
    }
  }
  return settled;
}

/** What the user reads about an entry settled for them. */
export function describeSettled(s: SettledEntry): string {
  const what = `a create whose provider process ended before its outcome was recorded (mark ${s.mark})`;
  if (s.error) return `${s.label}: ${what} could not be settled now and stays in the create journal: ${s.error}`;
  return s.removed.length
    ? `${s.label}: ${what} had made ${s.removed.join(", ")}, which no state holds: removed`
    : `${s.label}: ${what} made nothing that is still live`;
}

/** Settles a type's journal entries once per connection and target, telling the user what was done. */
export function settleJournalOnce(conn: Connection, t: JournaledType): Promise<void> {
  const target = t.target(conn);
  const once = (conn.factsAbout(target).once ??= new Map());
  let done = once.get(`journal:${t.type}`);
  if (!done) {
    done = settleJournal(conn, t).then(async (settled) => {
      for (const s of settled) await conn.warn(describeSettled(s));
    });
    once.set(`journal:${t.type}`, done);
  }
  return done;
}
