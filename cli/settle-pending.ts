// After the pulumi CLI was killed in the middle of an `up`, the engine keeps the creates it had started as "pending
// operations": it does not know whether they happened, and `pulumi refresh --clear-pending-creates` would forget
// them. Each pending create of ours carries what proves which objects it made (the create mark of an API key, the
// generated name of an enrollment key), so this settles them exactly as the next `up` settles a create that failed
// unresolved: it invalidates (or revokes) what the mark proves, and touches nothing else (README, Troubleshooting).
import type { Connection } from "../provider/elastic/connection";
import { clusterRecord, sameCluster } from "../provider/elastic/cluster";
import { ElasticKeysError, hasCode } from "../provider/elastic/errors";
import type { Target } from "../provider/elastic/target";
import { live } from "../provider/framework/create-and-reconcile";
import { recordedCluster, type ExportedResource } from "./cluster-of";
import { label } from "../provider/framework/lifecycle";
import { resourceOf } from "../provider/framework/registry";

interface PendingOperation {
  type: string;
  resource: ExportedResource;
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
  deployment: { pending_operations?: PendingOperation[]; resources?: ExportedResource[] },
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
      assertOnCluster(resource.lifecycle.definition.target(conn), op, deployment.resources ?? []);
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
        message: conn.messageOf(err),
      });
    }
  }
  return results;
}

/**
 * A pending create is settled only on the cluster it was sent to, with the connection the environment gives for that
 * cluster: run once per cluster (README, Troubleshooting). Otherwise nothing is sent anywhere.
 */
function assertOnCluster(target: Target, op: PendingOperation, resources: readonly ExportedResource[]): void {
  const fleet = target.service === "Fleet";
  const envVar = fleet ? "KIBANA_ENDPOINT (or FLEET_ENDPOINT)" : "ELASTICSEARCH_ENDPOINTS";
  const record = recordedCluster(op.resource, fleet, resources);
  if (!record)
    throw new ElasticKeysError("undecidable", "the export does not say which cluster this create was sent to", {
      fix: "it predates the cluster record: find by hand which cluster it went to (its create mark, __createMark, is in the export) before clearing it",
    });
  const here = clusterRecord(target.urls);
  if (!sameCluster(record, here))
    throw new ElasticKeysError("undecidable", `it was sent to ${record}, not to ${here} (the environment's)`, {
      fix: `run settle-pending again with ${envVar}=${record} and that cluster's credentials in the environment`,
    });
}
