// The create mark in an object's metadata (create-and-reconcile.ts): written with every create and kept by every
// update, so what a create made can be proven after a lost answer or a dead process; never shown to users or diffed.
import { CREATE_MARK_METADATA } from "../../framework/create-and-reconcile";

type Metadata = Record<string, unknown>;

/** The user's metadata plus the create's mark (when the resource has one). */
export const withMark = (metadata: Metadata, mark: unknown): Metadata =>
  typeof mark === "string" ? { ...metadata, [CREATE_MARK_METADATA]: mark } : metadata;

/** The metadata as the user declared it: without the mark. */
export function withoutMark(metadata: Metadata | undefined): Metadata {
  const { [CREATE_MARK_METADATA]: _mark, ...rest } = metadata ?? {};
  return rest;
}

/** The create mark an object carries, if any. */
export const markOf = (metadata: Metadata | undefined): string | undefined => {
  const m = metadata?.[CREATE_MARK_METADATA];
  return typeof m === "string" ? m : undefined;
};
