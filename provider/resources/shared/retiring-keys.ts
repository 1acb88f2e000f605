// The overlap (README, Rotation): at the end of a replacement, an old key with `retireAfter` is not invalidated but
// set to expire that long after (the update API keys' `expiration`, Elasticsearch 8.13+: UPDATE_API_KEY_EXPIRATION_TIME_ADDED
// in TransportVersions, after V_8_12_0; owner-only, as every update API key call). Its metadata records the create
// mark of the key that replaced it, so it stays findable: refresh reports it, destroy invalidates it, and the
// inventory lists it. Where the server or the owner does not allow it, the old key is invalidated at once, and said.
import type { OperationContext } from "../../framework/lifecycle";
import { CREATE_MARK_METADATA } from "../../framework/create-and-reconcile";
import { queryApiKeys, updateKeyExpiry, type ApiKeyInfo } from "../../elastic/elasticsearch";
import { invalidateKey, readKeyState, type KeyOwner } from "./api-keys";

/** Metadata key of a retiring key: the create mark of the key that replaced it. */
export const RETIRED_BY_METADATA = "pulumi_elastic_keys_retired_by";

interface OldKey {
  owner?: KeyOwner;
  retireAfter?: string;
  __createMark?: unknown;
}

/**
 * Ends an old key: retires it when this delete ends a replacement whose successor is known and `retireAfter` is set;
 * invalidates it otherwise. Keys still retiring for it (two rotations old) are invalidated either way.
 */
export async function retireOrInvalidate(
  ctx: OperationContext,
  id: string,
  olds: OldKey,
  crossCluster: boolean,
): Promise<void> {
  const { conn } = ctx;
  const mark = typeof olds.__createMark === "string" ? olds.__createMark : undefined;
  if (mark) for (const k of await retiringKeysOf(ctx, mark)) await invalidateKey(conn, k.id, olds.owner);
  const successor = ctx.replacement?.successor;
  if (!successor || olds.retireAfter === undefined) return invalidateKey(conn, id, olds.owner);
  const state = await readKeyState(conn, id, olds.owner);
  if (!state.live) return;
  const answer = await updateKeyExpiry(conn.elasticsearch(), id, crossCluster, {
    metadata: { ...(state.key.metadata ?? {}), [RETIRED_BY_METADATA]: successor },
    expiration: olds.retireAfter,
  });
  if ("refused" in answer) {
    const why =
      answer.refused.status === 404
        ? "only its owner may change its expiry"
        : "this Elasticsearch cannot change a key's expiry (8.13+)";
    await conn.warn(
      `${ctx.label}: the old key ${id} could not be given its overlap (${why}: ${answer.refused.status} ${answer.refused.text.slice(0, 200)}); it is invalidated now`,
    );
    return invalidateKey(conn, id, olds.owner);
  }
  await conn.warn(`${ctx.label}: the old key ${id} retires: it keeps working for ${olds.retireAfter}, then expires`);
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
