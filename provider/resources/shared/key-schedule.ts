// Where a key stands against its schedule and its expiry, by the server's clock (README, Rotation): Elasticsearch
// evaluates `now` in a query's range (API keys: the same clock that expires them); Kibana's answers carry its clock in
// the `Date` header (enrollment keys). Never this machine's clock.
import type { Connection } from "../../elastic/connection";
import { queryApiKeys, type ApiKeyInfo } from "../../elastic/elasticsearch";
import { ElasticKeysError } from "../../elastic/errors";
import { lookupSetting, settingOrigin } from "../../elastic/settings";
import type { ScheduleVerdict } from "../../framework/lifecycle";
import { durationMs, durationProblem } from "./duration";
import { hasSchedule, rotatesAtOf } from "./rotation";

export const DEFAULT_WARNING_HORIZON = "7d";

interface Schedule {
  expiration?: string;
  rotateAfter?: string;
  rotateBeforeExpiry?: string;
}

/** How far ahead preview and up warn (the `keyWarningHorizon` setting). */
export function warningHorizonMs(conn: Connection): number {
  const raw = lookupSetting(conn.source, "keyWarningHorizon") ?? DEFAULT_WARNING_HORIZON;
  const problem = durationProblem(raw, { unset: "leave it unset for 7d", zero: "must be positive", what: "it" });
  if (problem)
    throw new ElasticKeysError("invalid_input", `${settingOrigin(conn.source, "keyWarningHorizon")} ${problem}`, {
      fix: 'set it to an Elasticsearch duration such as "7d", or unset it',
    });
  return durationMs(raw);
}

/** Elasticsearch date math for now + ms (whole seconds). */
const nowPlus = (ms: number) => `now${ms < 0 ? "-" : "+"}${Math.round(Math.abs(ms) / 1000)}s`;
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

const HOW_TO_ROTATE = "set rotateAfter or rotateBeforeExpiry to rotate it on time, or change rotationTrigger";

/**
 * An Elasticsearch API key's verdict: one query while nothing is near (the key, if it is due or expires within the
 * horizon), a second to tell "due" from "near".
 */
export async function apiKeyVerdict(conn: Connection, id: string, s: Schedule, horizonMs: number) {
  const es = conn.elasticsearch();
  const before = s.rotateBeforeExpiry !== undefined ? durationMs(s.rotateBeforeExpiry) : 0;
  const clauses = (lead: number) => [
    ...(s.rotateAfter !== undefined
      ? [{ range: { creation: { lte: nowPlus(lead - durationMs(s.rotateAfter)) } } }]
      : []),
    ...(s.expiration !== undefined ? [{ range: { expiration: { lte: nowPlus(lead + before) } } }] : []),
  ];
  if (clauses(0).length === 0) return { notices: [] };
  const find = async (lead: number): Promise<ApiKeyInfo | undefined> =>
    (
      await queryApiKeys(es, {
        query: { bool: { filter: [{ ids: { values: [id] } }], should: clauses(lead), minimum_should_match: 1 } },
        size: 1,
      })
    ).find((k) => k.id === id && !k.invalidated);
  const near = await find(horizonMs);
  if (!near) return { notices: [] };
  return verdictOf(s, near.creation, near.expiration, hasSchedule(s) && (await find(0)) !== undefined);
}

/** An enrollment key's verdict, by the clock of the Kibana that answered (`serverNow`). */
export function enrollmentVerdict(s: Schedule, createdAt: string, serverNow: number, horizonMs: number) {
  const created = Date.parse(createdAt);
  const rotatesAt = rotatesAtOf(s, created);
  if (!rotatesAt || Date.parse(rotatesAt) > serverNow + horizonMs) return { notices: [] };
  return verdictOf(s, created, undefined, Date.parse(rotatesAt) <= serverNow);
}

function verdictOf(s: Schedule, creation: number | undefined, expiration: number | undefined, due: boolean) {
  const rotatesAt = rotatesAtOf(s, creation, expiration);
  const expiresAt = iso(expiration);
  const byAge =
    s.rotateAfter !== undefined && creation !== undefined && rotatesAt === iso(creation + durationMs(s.rotateAfter));
  if (due && rotatesAt)
    return {
      due: { field: byAge ? "rotateAfter" : "rotateBeforeExpiry", reason: `rotation due since ${rotatesAt}` },
      notices: [],
    } satisfies ScheduleVerdict;
  const notices = rotatesAt
    ? [`due for rotation at ${rotatesAt}${expiresAt ? ` (expires at ${expiresAt})` : ""}`]
    : expiresAt
      ? [`expires at ${expiresAt}: ${HOW_TO_ROTATE}`]
      : [];
  return { notices } satisfies ScheduleVerdict;
}
