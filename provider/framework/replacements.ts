// Which objects this provider process saw diff replace, and which create made each one's successor: the delete that
// ends a replacement (create-before-delete) is then told so, and an old key with an overlap retires instead of being
// invalidated, recording its successor (README, Rotation). The engine diffs, creates and deletes a replaced resource
// through one provider process within one update; a delete this process did not see diffed (a destroy, a resource
// removed from the program, a replacement left pending by a killed CLI) is not a replacement: it invalidates.
const pending = new Map<string, { label: string; successor?: string }>();

/** Diff decided that the object `id`, of the resource labelled `label`, is replaced. */
export function noteReplacement(id: string, label: string): void {
  pending.set(id, { label, successor: pending.get(id)?.successor });
}

/** A create of the resource labelled `label` made the object marked `mark`: the successor of what it replaces. */
export function noteSuccessor(label: string, mark: string | undefined): void {
  const waiting = [...pending.values()].filter((p) => p.label === label && p.successor === undefined);
  // Two replaced objects under one label (same type and logical name, different parents): which is whose is unknown.
  if (waiting.length === 1) waiting[0].successor = mark;
}

/** For the delete of `id`: whether it ends a replacement, and the mark of the object that replaced it. */
export function replacementOf(id: string): { successor?: string } | undefined {
  const p = pending.get(id);
  pending.delete(id);
  return p ? { successor: p.successor } : undefined;
}
