// What a create has sent, written down before the request leaves and removed before its outcome is handed to the
// engine. The engine keeps a pending operation only while the pulumi CLI lives: when the provider process itself
// dies (kill -9, a crash, out of memory) in the middle of a create, the engine records a plain failure and nothing of
// what the create may have made. The entry survives that: the next operation of the same resource type in a new
// provider process (up, refresh or destroy), or `pulumi-elastic-keys settle-pending`, finds what the create made by
// the create's own mark and removes it — nothing is left live that no state holds (README, Troubleshooting).
//
// An entry is settled only once its writer is provably gone (its process, on this host, no longer runs), so a create
// still in flight in a live process is never touched. Entries hold the resource's inputs and where the create went,
// never a credential or a key.
import { randomUUID } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface JournalEntry {
  version: 1;
  /** The create's mark: what proves which objects it made. */
  mark: string;
  /** The resource type (registry name), whose leftovers finder settles the entry. */
  type: string;
  /** e.g. `ApmAgentKey "ingest"`, for messages. */
  label: string;
  /** What the type's leftovers finder needs: the checked inputs with the mark, and what the create knew (owner). */
  outs: Record<string, unknown>;
  /** The base URLs the create was sent to: a connection settles an entry only on a cluster it shares. */
  urls: string[];
  /** The process that wrote it: settled only once that process is gone. */
  writer: { host: string; pid: number; started: string };
  /** When the create was recorded (this host's clock). */
  recordedAt: string;
}

/** Where entries live: ELASTIC_KEYS_JOURNAL_DIR, else `<PULUMI_HOME or ~/.pulumi>/elastic-keys/journal`. */
export function journalDir(env: Readonly<Record<string, string | undefined>>): string {
  if (env.ELASTIC_KEYS_JOURNAL_DIR) return env.ELASTIC_KEYS_JOURNAL_DIR;
  const home = env.PULUMI_HOME || path.join(env.HOME || os.homedir(), ".pulumi");
  return path.join(home, "elastic-keys", "journal");
}

/** The kernel's start time of a process (Linux), so a reused pid is not taken for the writer. */
function startTimeOf(pid: number): string | undefined {
  try {
    // Field 22 of /proc/<pid>/stat, counted after the command name, which may hold spaces.
    return readFileSync(`/proc/${pid}/stat`, "utf8")
      .replace(/^.*\) /s, "")
      .split(" ")[19];
  } catch {
    return undefined;
  }
}

const self = (): JournalEntry["writer"] => ({
  host: os.hostname(),
  pid: process.pid,
  started: startTimeOf(process.pid) ?? "",
});

/** Whether the entry's writer is provably gone: on this host, its process is not running (or is another one). */
export function writerGone(writer: JournalEntry["writer"]): boolean {
  if (writer.host !== os.hostname()) return false; // another host's process cannot be seen from here
  if (writer.pid === process.pid && writer.started === self().started) return false;
  const started = startTimeOf(writer.pid);
  if (started !== undefined) return started !== writer.started;
  try {
    process.kill(writer.pid, 0); // no /proc (not Linux): alive as far as we can tell
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ESRCH";
  }
}

const fileOf = (dir: string, mark: string) => path.join(dir, `${mark.replace(/[^\w.-]/g, "_")}.json`);

/** Writes the entry before the create's first request leaves. */
export function recordCreate(dir: string, entry: Omit<JournalEntry, "version" | "writer" | "recordedAt">): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const full: JournalEntry = { version: 1, ...entry, writer: self(), recordedAt: new Date().toISOString() };
  const file = fileOf(dir, entry.mark);
  const tmp = `${file}.${randomUUID()}.tmp`;
  writeFileSync(tmp, JSON.stringify(full), { mode: 0o600 });
  renameSync(tmp, file); // never a half-written entry
}

/** Removes the entry: the create's outcome is about to reach the engine (success, partial state, or proven failure). */
export function forgetCreate(dir: string, mark: string): void {
  rmSync(fileOf(dir, mark), { force: true });
}

/** Every readable entry, by file. A file another process is settling (renamed) is skipped. */
export function entries(dir: string): { file: string; entry: JournalEntry }[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith(".json"));
  } catch {
    return [];
  }
  const out: { file: string; entry: JournalEntry }[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      const entry = JSON.parse(readFileSync(file, "utf8")) as JournalEntry;
      if (entry.version === 1 && typeof entry.mark === "string") out.push({ file, entry });
    } catch {
      // vanished meanwhile, or not ours
    }
  }
  return out;
}

/**
 * Claims an entry for settling (renamed, so two processes never settle it at once); returns the claimed file, or
 * undefined when another process got there first.
 */
export function claim(file: string): string | undefined {
  const claimed = `${file}.settling-${process.pid}`;
  try {
    renameSync(file, claimed);
    return claimed;
  } catch {
    return undefined;
  }
}

/** Puts a claimed entry back (it could not be settled now: the next operation tries again). */
export function release(claimed: string): void {
  try {
    renameSync(claimed, claimed.replace(/\.settling-\d+$/, ""));
  } catch {
    // gone: nothing to put back
  }
}

/** Two lists of base URLs name the same service when they share one (the same node, however the list changed). */
export function sharesUrl(a: readonly string[], b: readonly string[]): boolean {
  const norm = (u: string) => u.replace(/\/+$/, "").toLowerCase();
  const bs = new Set(b.map(norm));
  return a.some((u) => bs.has(norm(u)));
}
