// Each resource records in its state the cluster it lives on (provider/elastic/cluster.ts: what identifies a
// cluster), as a hidden input check computes from the connection. Read and delete act only on that cluster; a change
// of cluster replaces the resource where the front end can delete the old one with the old connection (the native
// plugin, a provider per cluster) and is refused at preview where it cannot (the dynamic resources, which refresh and
// destroy with the current settings). State written before the record existed gets it at the next `up`, as an
// update that sends nothing.
import type { Connection } from "../elastic/connection";
import { clusterRecord, sameCluster } from "../elastic/cluster";
import type { Target } from "../elastic/target";
import { ElasticKeysError, hasCode } from "../elastic/errors";
import { credentialAdvice, movedClusterAdvice, unansweredRecordAdvice } from "../elastic/settings";
import { answersAsAnotherService } from "../elastic/service-proof";

/** The hidden input holding the record, e.g. `https://es.example.com:9200`. */
export const CLUSTER_INPUT = "__cluster";

type Props = Record<string, unknown>;

const recordOf = (props: Props | undefined): string | undefined =>
  typeof props?.[CLUSTER_INPUT] === "string" ? (props[CLUSTER_INPUT] as string) : undefined;

/**
 * For check: the record of the cluster the resource's target (its service: Elasticsearch, or Fleet) reaches, or why
 * this front end cannot follow a change of cluster.
 */
export async function clusterForCheck(
  conn: Connection,
  target: Target,
  olds: Props | undefined,
): Promise<{ record: string; refusal?: string }> {
  const record = clusterRecord(target.urls);
  const before = recordOf(olds);
  if (!before || sameCluster(before, record) || conn.source.origin?.frontEnd === "plugin") return { record };
  // Only for a refusal: a record where something else answers may be a wrong URL's create that never resolved.
  const wrongUrl =
    (await answersAsAnotherService(target, before.split(","))) === true
      ? `. If ${before} was a wrong URL (${target.service} does not answer there) and this resource failed to create there (its id starts with \`unresolved-create:\`), run \`pulumi refresh --run-program\` first: it is looked for by its mark where the settings point now, and leaves state once nothing it made is live (README, Troubleshooting).`
      : "";
  return {
    record,
    refusal: `this resource lives on ${before}, but the settings now name ${target.service === "Fleet" ? "Fleet at " : ""}${record}: a change of cluster cannot be carried out here. Fix: ${movedClusterAdvice(conn.source.origin, before)}${wrongUrl}`,
  };
}

/** For diff: `moved` replaces the resource, `recorded` updates the record alone (a node added, or no record yet). */
export function clusterChange(olds: Props, news: Props): "moved" | "recorded" | undefined {
  const before = recordOf(olds);
  const after = recordOf(news);
  if (!after || after === before) return undefined;
  return before && !sameCluster(before, after) ? "moved" : "recorded";
}

/**
 * For read and delete: refuses, sending nothing, when the connection names another cluster than the record. A
 * resource without a record (state from before it existed) is taken to live where the settings point.
 */
export function assertRecordedCluster(conn: Connection, target: Target, props: Props | undefined): void {
  const before = recordOf(props);
  if (!before) return;
  const now = clusterRecord(target.urls);
  if (sameCluster(before, now)) return;
  throw new ElasticKeysError(
    "undecidable",
    `this resource lives on ${before}, but the settings now name ${now}; nothing was sent there, and state is unchanged`,
    { fix: movedClusterAdvice(conn.source.origin, before) },
  );
}

/** A refused credential's error, with where this front end takes credentials from. */
export function withCredentialAdvice(conn: Connection, err: unknown): unknown {
  const advice = credentialAdvice(conn.source.origin);
  if (!advice || !hasCode(err, "unauthorized")) return err;
  return err.with({ fix: [err.details.fix, advice].filter(Boolean).join(". ") });
}

/**
 * For an unresolved create (create-and-reconcile.ts) whose record names another cluster than the settings: whether
 * the record is no cluster at all — something other than the service answers there (a sign-in page, a proxy, the
 * other service; asked without the credential). The create can then have reached the service only through that URL,
 * so it is settled by its mark where the settings point now (README, Troubleshooting): anything the mark finds is
 * provably this create's, wherever it is. A record where the service answers, or nothing does, stays a cluster.
 */
export async function recordIsNoCluster(target: Target, props: Props): Promise<boolean> {
  const before = recordOf(props);
  if (!before || sameCluster(before, clusterRecord(target.urls))) return false;
  return (await answersAsAnotherService(target, before.split(","))) === true;
}

/**
 * For an unresolved create's mark search on its recorded cluster: an answer from something other than the service
 * (a wrong URL, asked again without the credential) is undecidable, with what to do once the URL is corrected (the
 * fix names the setting to correct). Any other error is returned as it is.
 */
export function wrongUrlOfUnresolved(
  conn: Connection,
  target: Target,
  props: Props,
  mark: string,
  err: unknown,
): unknown {
  if (!hasCode(err, "unexpected_answer")) return err;
  const where = recordOf(props) ?? clusterRecord(target.urls);
  return new ElasticKeysError(
    "undecidable",
    `this resource is a create that never resolved (mark ${mark}), sent to ${where}, where ${target.service} does not answer: what it may have made cannot be looked for there, so it stays in state`,
    {
      endpoint: err.details.endpoint,
      status: err.details.status,
      fix: `${err.details.fix ? `${err.details.fix}. ` : ""}${unansweredRecordAdvice(conn.source.origin, target.service, where)}`,
      cause: err,
    },
  );
}
