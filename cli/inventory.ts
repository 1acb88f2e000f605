// `pulumi-elastic-keys inventory`: every key the given stacks own, with its state, expiry and rotation date; every
// key retiring for one of them (README, Rotation); and every live key on the cluster that carries this provider's
// create mark but is held by none of the given states. It only reads (GET, and the read-only key query): nothing
// on the cluster changes, whatever it finds.
import type { Connection } from "../provider/elastic/connection";
import { clusterRecord, sameCluster } from "../provider/elastic/cluster";
import { queryApiKeys, type ApiKeyInfo } from "../provider/elastic/elasticsearch";
import { getEnrollmentKey } from "../provider/elastic/kibana";
import { CREATE_MARK_METADATA } from "../provider/framework/create-and-reconcile";
import { MARK_INPUT } from "../provider/framework/lifecycle";
import { readKeyState } from "../provider/resources/shared/api-keys";
import { RETIRED_BY_METADATA } from "../provider/resources/shared/retiring-keys";
import { recordedCluster, type ExportedResource } from "./cluster-of";

type Props = Record<string, unknown>;

export interface InventoryRow {
  /** The resource's URN, or "(none)" for a key no given state holds. */
  resource: string;
  type: string;
  keyId: string;
  state: "live" | "retiring" | "expired" | "invalidated" | "revoked" | "gone" | "untracked" | "not read";
  expiresAt?: string;
  rotatesAt?: string;
  note?: string;
}

interface Exported {
  deployment?: { resources?: (ExportedResource & { outputs?: Props; delete?: boolean })[] };
}

const ourType = (token: string) => /^(?:pulumi-nodejs:dynamic\/elastic|elastic:index):(\w+)$/.exec(token)?.[1];
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);

/** The inventory of the keys the exported stacks own, on the cluster `conn` names. */
export async function inventory(exports: Exported[], conn: Connection): Promise<InventoryRow[]> {
  const rows: InventoryRow[] = [];
  const heldIds = new Set<string>();
  const heldMarks = new Set<string>();
  const all = exports.flatMap((e) => e.deployment?.resources ?? []);
  const es = conn.hasElasticsearch() ? conn.elasticsearch() : undefined;
  for (const r of all) {
    const type = ourType(r.type);
    if (!type || type === "ApmRole" || !r.id) continue;
    const outs = r.outputs ?? {};
    const mark = text(outs[MARK_INPUT]) ?? text(r.inputs?.[MARK_INPUT]);
    if (mark) heldMarks.add(mark);
    heldIds.add(r.id);
    const row: InventoryRow = {
      resource: r.urn,
      type,
      keyId: r.id,
      state: "not read",
      expiresAt: text(outs.expiresAt),
      rotatesAt: text(outs.rotatesAt),
      ...(r.delete ? { note: "pending delete in state" } : {}),
    };
    rows.push(row);
    const fleet = type === "EnrollmentApiKey";
    let target;
    try {
      target = fleet ? conn.fleet() : es;
    } catch {
      target = undefined;
    }
    const record = recordedCluster(r, fleet, all);
    if (!target || (record && !sameCluster(record, clusterRecord(target.urls)))) {
      row.note = `lives on ${record ?? "a cluster the export does not name"}: run inventory with that cluster's settings`;
      continue;
    }
    try {
      if (fleet) {
        const key = await getEnrollmentKey(target, text(outs.spaceId), r.id);
        row.state = !key.found ? "gone" : key.value.active ? "live" : "revoked";
        if (key.found) heldIds.add(key.value.api_key_id);
        continue;
      }
      const state = await readKeyState(conn, r.id, outs.owner as { username: string; realm: string } | undefined);
      row.state = state.live ? "live" : state.why === "deleted" ? "gone" : state.why;
      if (state.key?.expiration !== undefined) row.expiresAt = iso(state.key.expiration);
    } catch (err) {
      row.note = conn.messageOf(err);
    }
  }
  if (!es) return rows;
  // Every live key carrying a create mark: retiring for a held key, held, or held by none of the given states.
  const marked = await queryApiKeys(es, {
    query: {
      bool: {
        filter: [{ exists: { field: `metadata.${CREATE_MARK_METADATA}` } }, { term: { invalidated: false } }],
        must_not: [{ range: { expiration: { lte: "now" } } }],
      },
    },
    size: 10000,
  });
  for (const k of marked) {
    if (heldIds.has(k.id)) continue;
    const successor = text(k.metadata?.[RETIRED_BY_METADATA]);
    if (successor && heldMarks.has(successor)) {
      const by = rows.find((r) => r.keyId && markOfRow(all, r) === successor);
      rows.push(keyRow(k, "retiring", by?.resource ?? "(none)", `replaced by ${by?.keyId ?? "a held key"}`));
    } else rows.push(keyRow(k, "untracked", "(none)", untrackedNote(k, successor)));
  }
  return rows;
}

function markOfRow(all: readonly (ExportedResource & { outputs?: Props })[], row: InventoryRow): string | undefined {
  const r = all.find((x) => x.urn === row.resource && x.id === row.keyId);
  return text(r?.outputs?.[MARK_INPUT]) ?? text(r?.inputs?.[MARK_INPUT]);
}

const keyRow = (k: ApiKeyInfo, state: InventoryRow["state"], resource: string, note: string): InventoryRow => ({
  resource,
  type: k.type === "cross_cluster" ? "CrossClusterApiKey" : "ApmAgentKey",
  keyId: k.id,
  state,
  expiresAt: iso(k.expiration),
  note: `${k.name}: ${note}`,
});

const untrackedNote = (k: ApiKeyInfo, successor: string | undefined) =>
  successor
    ? `retiring for a key none of the given states holds (owner ${k.username ?? "?"})`
    : `carries this provider's create mark but none of the given states holds it (owner ${k.username ?? "?"}): another stack's, or left by an interrupted create (settle-pending)`;

/** The rows as an aligned text table. */
export function inventoryTable(rows: InventoryRow[]): string {
  const head = ["RESOURCE", "TYPE", "KEY", "STATE", "EXPIRES", "ROTATES", "NOTE"];
  const cells = rows.map((r) => [
    r.resource,
    r.type,
    r.keyId,
    r.state,
    r.expiresAt ?? "-",
    r.rotatesAt ?? "-",
    r.note ?? "",
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  return [head, ...cells]
    .map((c) =>
      c
        .map((v, i) => v.padEnd(widths[i]))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}
