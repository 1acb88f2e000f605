// Which objects this provider process (through one connection) saw diff replace, and which create made each one's successor: the create that
// makes the successor lets the old object start retiring at once (an overlap, README, Rotation), and the delete that
// ends the replacement (create-before-delete) is told so. The engine diffs, creates and deletes a replaced resource
// through one provider process within one update; a delete this process did not see diffed (a destroy, a resource
// removed from the program, a replacement left pending by a killed CLI) is not a replacement.
import type { Connection } from "../elastic/connection";

type Props = Record<string, unknown>;
type Pending = Map<string, { label: string; olds: Props; successor?: string; retiring?: boolean }>;

/** Kept by the connection the operations run through (the same one for a resource's diff, create and delete). */
const KEY = Symbol("replacements");
const pendingOf = (conn: Connection): Pending => conn.scoped(KEY, (): Pending => new Map());

/** Diff decided that the object `id` (state `olds`), of the resource labelled `label`, is replaced. */
export function noteReplacement(conn: Connection, id: string, label: string, olds: Props): void {
  const pending = pendingOf(conn);
  pending.set(id, { label, olds, successor: pending.get(id)?.successor });
}

/**
 * A create of the resource labelled `label` is about to make the object marked `mark`, the successor of what it
 * replaces: that replaced object (its id and state), if this process saw one. Two replaced objects under one label
 * (same type and logical name, different parents): which is whose is unknown, so neither.
 */
export function noteSuccessor(
  conn: Connection,
  label: string,
  mark: string | undefined,
): { id: string; olds: Props } | undefined {
  const waiting = [...pendingOf(conn).entries()].filter(([, p]) => p.label === label && p.successor === undefined);
  if (waiting.length !== 1) return undefined;
  const [id, p] = waiting[0];
  p.successor = mark;
  return { id, olds: p.olds };
}

/** The replaced object `id` started retiring when its successor was made: its delete leaves it to expire. */
export function noteRetiring(conn: Connection, id: string): void {
  const p = pendingOf(conn).get(id);
  if (p) p.retiring = true;
}

/** For the delete of `id`: whether it ends a replacement, the successor's mark, and whether it already retires. */
export function replacementOf(conn: Connection, id: string): { successor?: string; retiring?: boolean } | undefined {
  const pending = pendingOf(conn);
  const p = pending.get(id);
  pending.delete(id);
  return p ? { successor: p.successor, retiring: p.retiring } : undefined;
}
