// The overlap (README, Rotation): at the end of a replacement, an old key with `retireAfter` is not invalidated but
// set to expire that long after (the update API keys' `expiration`, Elasticsearch 8.13+: UPDATE_API_KEY_EXPIRATION_TIME_ADDED
// in TransportVersions, after V_8_12_0; owner-only, as every update API key call). Its metadata records the create
// mark of the key that replaced it, so it stays findable: refresh reports it, destroy invalidates it, and the
// inventory lists it. Where the server or the owner does not allow it, the old key is invalidated at once, and said.
import type { OperationContext } from "../../framework/lifecycle";
import { CREATE_MARK_METADATA } from "../../framework/create-and-reconcile";
import type { Connection } from "../../elastic/connection";
import { clusterVersion, queryApiKeys, updateKeyExpiry, type ApiKeyInfo } from "../../elastic/elasticsearch";
import { identityOf, invalidateKey, readKeyState, sameIdentity, type KeyOwner } from "./api-keys";

/** Metadata key of a retiring key: the create mark of the key that replaced it. */
export const RETIRED_BY_METADATA = "pulumi_elastic_keys_retired_by";

interface OldKey {
  owner?: KeyOwner;
  retireAfter?: string;
  __createMark?: unknown;
}

/**
 * Lets the old key of a replacement start retiring, right after its successor (marked `successorMark`) was made: set
 * to expire `retireAfter` from now, its metadata naming the successor. False (said) where the server or the owner
 * does not allow it, or nothing retires: its delete then invalidates it.
 */
export async function retirePredecessor(
  ctx: OperationContext,
  id: string,
  olds: OldKey,
  successorMark: string,
  crossCluster: boolean,
): Promise<boolean> {
  const { conn } = ctx;
  if (olds.retireAfter === undefined) return false;
  const state = await readKeyState(conn, id, olds.owner);
  if (!state.live) return false;
  const answer = await updateKeyExpiry(conn.elasticsearch(), id, crossCluster, {
    metadata: { ...(state.key.metadata ?? {}), [RETIRED_BY_METADATA]: successorMark },
    expiration: olds.retireAfter,
  });
  if ("refused" in answer) {
    const why =
      answer.refused.status === 404
        ? "only its owner may change its expiry"
        : "this Elasticsearch cannot change a key's expiry (8.13+)";
    await conn.warn(
      `${ctx.label}: the old key ${id} could not be given its overlap (${why}: ${answer.refused.status} ${answer.refused.text.slice(0, 200)}); it is invalidated as the replacement ends`,
    );
    return false;
  }
  await conn.warn(`${ctx.label}: the old key ${id} retires: it keeps working for ${olds.retireAfter}, then expires`);
  return true;
}

/**
 * Ends an old key (its delete). Keys still retiring for it (two rotations old) are invalidated. The key itself is
 * left to expire when it already retires for a successor that is live — started by this process's create of it, or
 * by an earlier process whose CLI was killed before the delete —, and invalidated otherwise: a destroy or a removal
 * (whose successor, if any, is deleted too, ending its retiring keys).
 */
export async function endOldKey(ctx: OperationContext, id: string, olds: OldKey): Promise<void> {
  const { conn } = ctx;
  const mark = typeof olds.__createMark === "string" ? olds.__createMark : undefined;
  if (mark) for (const k of await retiringKeysOf(ctx, mark)) await invalidateKey(conn, k.id, olds.owner);
  if (ctx.replacement?.retiring) return;
  if (olds.retireAfter !== undefined && !ctx.replacement) {
    const state = await readKeyState(conn, id, olds.owner);
    if (!state.live) return;
    const successor = state.key.metadata?.[RETIRED_BY_METADATA];
    if (typeof successor === "string" && (await liveMarked(ctx, successor))) {
      await conn.warn(
        `${ctx.label}: the old key ${id} keeps retiring until it expires: the key that replaced it is live`,
      );
      return;
    }
  }
  return invalidateKey(conn, id, olds.owner);
}

/** Whether a live key carries the create mark `mark`. */
async function liveMarked(ctx: OperationContext, mark: string): Promise<boolean> {
  const keys = await queryApiKeys(ctx.conn.elasticsearch(), {
    query: {
      bool: {
        filter: [{ term: { [`metadata.${CREATE_MARK_METADATA}`]: mark } }, { term: { invalidated: false } }],
        must_not: [{ range: { expiration: { lte: "now" } } }],
      },
    },
    size: 10,
  });
  return keys.some((k) => k.metadata?.[CREATE_MARK_METADATA] === mark && !k.invalidated);
}

/** Whether Elasticsearch `version` takes `expiration` on the update API key calls (8.13+, see the top of this file). */
export function expiryUpdatable(version: string): boolean {
  const [major = 0, minor = 0] = version.split(".").map((p) => parseInt(p, 10));
  return major > 8 || (major === 8 && minor >= 13);
}

/**
 * Why the old key of a replacement will get no overlap, asked at preview (diff) once a replacement is decided, or
 * undefined when it will (or when nothing tells otherwise: a version the credential may not read is not a reason).
 * The same rules Elasticsearch applies to the update that retires it: a user's call, the key's owner, 8.13+.
 */
export async function overlapRefusal(conn: Connection, olds: OldKey): Promise<string | undefined> {
  if (olds.retireAfter === undefined) return undefined;
  const es = conn.elasticsearch();
  if (es.credentials.kind === "apiKey") return "Elasticsearch lets only a user, not an API key, change a key's expiry";
  const me = await identityOf(conn, es);
  if (!sameIdentity(olds.owner, me))
    return `only its owner${olds.owner ? ` (${olds.owner.username})` : ""} may change its expiry, and this runs as ${me.username}`;
  const facts = conn.factsAbout(es);
  facts.version ??= clusterVersion(es).catch(() => undefined);
  const version = await facts.version;
  if (version !== undefined && !expiryUpdatable(version))
    return `Elasticsearch ${version} cannot change a key's expiry (8.13+)`;
  return undefined;
}

/** The preview notice of a replacement whose old key will get no overlap (the key resources' replacementNotice). */
export async function noOverlapNotice(ctx: OperationContext, id: string, olds: OldKey): Promise<string | undefined> {
  const why = await overlapRefusal(ctx.conn, olds);
  return (
    why &&
    `the old key ${id} will get no overlap (retireAfter): ${why}; it is invalidated as soon as the new key exists`
  );
}

/** The live keys retiring for the key marked `mark` (replaced by it, not yet expired by the server's clock). */
export async function retiringKeysOf(ctx: OperationContext, mark: string): Promise<ApiKeyInfo[]> {
  const keys = await queryApiKeys(ctx.conn.elasticsearch(), {
    query: {
      bool: {
        filter: [
          { term: { [`metadata.${RETIRED_BY_METADATA}`]: mark } },
          { term: { invalidated: false } },
          { range: { expiration: { gt: "now" } } },
        ],
      },
    },
    size: 100,
  });
  return keys.filter((k) => k.metadata?.[RETIRED_BY_METADATA] === mark && !k.invalidated);
}

/** Refresh says which keys still retire for this one, and until when. */
export async function reportRetiring(ctx: OperationContext, olds: OldKey): Promise<void> {
  const mark = typeof olds.__createMark === "string" ? olds.__createMark : undefined;
  if (!mark) return;
  for (const k of await retiringKeysOf(ctx, mark))
    await ctx.conn.warn(
      `${ctx.label}: the key it replaced (${k.id}) is retiring and keeps working until ${k.expiration !== undefined ? new Date(k.expiration).toISOString() : "it is invalidated"}; \`pulumi destroy\` invalidates it too`,
    );
}

/** Whether a key carries this provider's create mark (the inventory's test for "ours"). */
export const isMarked = (k: ApiKeyInfo) => typeof k.metadata?.[CREATE_MARK_METADATA] === "string";
