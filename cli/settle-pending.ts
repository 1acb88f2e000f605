// After the pulumi CLI was killed in the middle of an `up`, the engine keeps the creates it had started as "pending
// operations": it does not know whether they happened, and `pulumi refresh --clear-pending-creates` would forget
// them. Each pending create of ours carries what proves which objects it made (the create mark of an API key, the
// generated name of an enrollment key), so this settles them exactly as the next `up` settles a create that failed
// unresolved: it invalidates (or revokes) what the mark proves, and touches nothing else (README, Troubleshooting).
import type { Connection } from "../provider/elastic/connection";
import { hasCode } from "../provider/elastic/errors";
import { live } from "../provider/framework/create-and-reconcile";
import { label } from "../provider/framework/lifecycle";
import { resourceOf } from "../provider/framework/registry";

interface PendingOperation {
  type: string;
  resource: { urn: string; type: string; inputs?: Record<string, unknown> };
}

export interface SettledCreate {
  urn: string;
  /** What was removed, what was found, or why nothing could be done. */
  outcome: "removed" | "nothing-made" | "undecidable" | "failed";
  ids: string[];
  message?: string;
}

/** Our type name from a resource type token: `pulumi-nodejs:dynamic/elastic:<T>` or `elastic:index:<T>`. */
function ourType(token: string): string | undefined {
  return /^(?:pulumi-nodejs:dynamic\/elastic|elastic:index):(\w+)$/.exec(token)?.[1];
}

export async function settlePendingCreates(
  deployment: { pending_operations?: PendingOperation[] },
  conn: Connection,
): Promise<SettledCreate[]> {
  const results: SettledCreate[] = [];
  for (const op of deployment.pending_operations ?? []) {
    const type = ourType(op.resource.type);
    const resource = type ? resourceOf(type) : undefined;
    if (op.type !== "creating" || !resource) continue;
    const inputs = op.resource.inputs ?? {};
    const ctx = { conn, label: label(type!, inputs) };
    try {
      const leftovers = live(await resource.lifecycle.definition.unresolvedLeftovers(ctx, inputs));
      for (const l of leftovers) await l.discard();
      results.push({
        urn: op.resource.urn,
        outcome: leftovers.length ? "removed" : "nothing-made",
        ids: leftovers.map((l) => l.id),
      });
    } catch (err) {
      results.push({
        urn: op.resource.urn,
        outcome: hasCode(err, "undecidable") ? "undecidable" : "failed",
        ids: [],
        message: err instanceof Error ? err.message : String(err),
      });
    }
  }
  return results;
}
