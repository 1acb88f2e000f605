// Reading and invalidating the Elasticsearch API keys under ApmAgentKey and CrossClusterApiKey, so that what state
// says is what the server holds:
// - gone is proven, never assumed: invalidated, expired by the server's clock, or Elasticsearch's own 404;
// - "not visible to me" is not "gone": a credential that may only see its own keys (manage_own_api_key) proves a
//   key's absence only for keys it owns;
// - an invalidation counts once Elasticsearch confirms it.
import type { Connection, Identity } from "../../elastic/connection";
import { identityOf, sameIdentity } from "../../elastic/service-proof";
import type { Target } from "../../elastic/target";
import {
  forbidden,
  getApiKey,
  getApiKeysByName,
  invalidateApiKeys,
  type ApiKeyInfo,
  type CreatedApiKey,
  type InvalidateResult,
  type KeyReadScope,
} from "../../elastic/elasticsearch";
import { createAndReconcile, CREATE_MARK_METADATA, type Leftover } from "../../framework/create-and-reconcile";
import { ElasticKeysError } from "../../elastic/errors";
import type { HttpResponse } from "../../elastic/transport";

/** Who owns a key this provider created: recorded in state, so an owner-scoped read can prove absence. */
export type KeyOwner = Identity;

export { identityOf, sameIdentity };

/**
 * A key read with the broadest scope the credential has: unscoped first; after a 403 (manage_own_api_key), scoped
 * to the caller's own keys, remembered for the connection.
 */
async function readScoped<T>(
  conn: Connection,
  es: Target,
  read: (scope: KeyReadScope) => Promise<T | { forbidden: HttpResponse }>,
): Promise<{ result: T; ownKeysOnly: boolean }> {
  const facts = conn.factsAbout(es);
  if (!facts.ownKeysOnly) {
    const result = await read({ owner: false });
    if (!isForbidden(result)) return { result, ownKeysOnly: false };
    facts.ownKeysOnly = true;
  }
  const result = await read({ owner: true });
  if (isForbidden(result))
    throw forbidden(
      result.forbidden,
      "this credential may not read API keys, not even its own",
      "grant manage_own_api_key (to manage its own keys) or manage_api_key / read_security (to see every key)",
    );
  return { result, ownKeysOnly: true };
}

function isForbidden(r: unknown): r is { forbidden: HttpResponse } {
  return !!r && typeof r === "object" && "forbidden" in r;
}

export type KeyState =
  { live: true; key: ApiKeyInfo } | { live: false; why: "invalidated" | "expired" | "deleted"; key?: ApiKeyInfo };

/**
 * Where a key stands, by the server's answers and clock. Throws `undecidable` when the credential cannot see the
 * key and cannot prove it gone (someone else's key, read by a manage_own_api_key credential).
 */
export async function readKeyState(conn: Connection, id: string, owner: KeyOwner | undefined): Promise<KeyState> {
  const es = conn.elasticsearch();
  const { result, ownKeysOnly } = await readScoped(conn, es, (scope) => getApiKey(es, id, scope));
  if (result.found) {
    const key = result.value;
    if (key.invalidated) return { live: false, why: "invalidated", key };
    if (key.expiration === undefined) return { live: true, key };
    // Expiry by the server's clock, not ours: `active_only` is evaluated by Elasticsearch at query time (8.10+).
    const active = await getApiKey(es, id, { owner: ownKeysOnly, activeOnly: true });
    if (isForbidden(active)) throw forbidden(active.forbidden, `reading API key ${id} failed`, "grant manage_api_key");
    return active.found ? { live: true, key } : { live: false, why: "expired", key };
  }
  if (!ownKeysOnly) return { live: false, why: "deleted" };
  // Only the caller's own keys were searched: absence proves something only for a key the caller owns.
  const me = await identityOf(conn, es);
  if (sameIdentity(owner, me)) return { live: false, why: "deleted" };
  throw new ElasticKeysError(
    "undecidable",
    `API key ${id} is not visible to ${me.username}, which may only see its own API keys (manage_own_api_key)${owner ? `; the key belongs to ${owner.username} (realm ${owner.realm})` : ""}. It may still be live, so it stays in state`,
    {
      endpoint: `GET ${es.urls[0]}/_security/api_key?id=${id}`,
      fix: `run this with a credential that holds manage_api_key or read_security${owner ? `, or as ${owner.username}` : ""}`,
    },
  );
}

function failOnErrorDetails(result: InvalidateResult, id: string): void {
  if (result.error_count > 0) {
    const reasons = (result.error_details ?? []).map((d) => d.reason ?? d.type).join("; ");
    throw new ElasticKeysError("forbidden", `invalidating API key ${id} failed`, {
      endpoint: "DELETE /_security/api_key",
      status: 200,
      elasticMessage: reasons,
      fix: /cross-cluster/i.test(reasons)
        ? "cross-cluster keys can only be invalidated by a user with the manage_security cluster privilege"
        : undefined,
    });
  }
}

/**
 * Invalidates a key and succeeds only when Elasticsearch confirms it (the id in `invalidated_api_keys`), or when the
 * key is provably dead already (invalidated, expired by the server's clock, or gone). First as its owner
 * (`owner: true`, all a manage_own_api_key user may do), then, for another user's key, as an admin.
 */
export async function invalidateKey(conn: Connection, id: string, owner: KeyOwner | undefined): Promise<void> {
  const es = conn.elasticsearch();
  const asOwner = await invalidateApiKeys(es, [id], true);
  if (!isForbidden(asOwner)) {
    failOnErrorDetails(asOwner, id);
    if (asOwner.invalidated_api_keys.includes(id)) return;
  }
  const asAdmin = await invalidateApiKeys(es, [id], false);
  if (!isForbidden(asAdmin)) {
    failOnErrorDetails(asAdmin, id);
    if (asAdmin.invalidated_api_keys.includes(id)) return;
  }
  // Not invalidated by us: fine only if the server proves it dead already.
  const refused = async () => {
    const me = await identityOf(conn, es).catch(() => undefined);
    return forbidden(
      (asAdmin as { forbidden: HttpResponse }).forbidden,
      `API key ${id} was not invalidated: ${me ? me.username : "this credential"} may only invalidate its own keys${owner ? ` and the key belongs to ${owner.username}` : ""}`,
      `destroy with a credential that holds manage_api_key (manage_security for cross-cluster keys)${owner ? `, or as ${owner.username}` : ""}; the key stays in state until then`,
    );
  };
  let state: KeyState;
  try {
    state = await readKeyState(conn, id, owner);
  } catch (err) {
    throw isForbidden(asAdmin) ? await refused() : err;
  }
  if (!state.live) return;
  if (isForbidden(asAdmin)) throw await refused();
  throw new ElasticKeysError("undecidable", `API key ${id} is still active after invalidation`, {
    endpoint: "DELETE /_security/api_key",
    fix: "invalidate it by hand (DELETE /_security/api_key) with a user that owns it or holds manage_api_key; it stays in state until it is gone",
  });
}

/** Keys named `name` that the credential can see (all of them, or only its own under manage_own_api_key). */
export async function keysNamed(conn: Connection, name: string): Promise<ApiKeyInfo[]> {
  const es = conn.elasticsearch();
  return (await readScoped(conn, es, (scope) => getApiKeysByName(es, name, scope))).result;
}

/**
 * The keys named `name` that carry this create's mark, invalidated ones included: provably made by this create. A
 * credential that may only see its own keys must be the creator, or the list would prove nothing.
 */
export async function markedKeys(
  conn: Connection,
  name: string,
  mark: string,
  owner: KeyOwner | undefined,
): Promise<ApiKeyInfo[]> {
  const es = conn.elasticsearch();
  const { result, ownKeysOnly } = await readScoped(conn, es, (scope) => getApiKeysByName(es, name, scope));
  if (ownKeysOnly && owner) {
    const me = await identityOf(conn, es);
    if (!sameIdentity(owner, me))
      throw new ElasticKeysError(
        "undecidable",
        `the keys named "${name}" that ${owner.username} created are not visible to ${me.username}, which may only see its own API keys`,
        { fix: `run this with a credential that holds manage_api_key, or as ${owner.username}` },
      );
  }
  return result.filter((k) => k.metadata?.[CREATE_MARK_METADATA] === mark);
}

/**
 * Leftovers of a create, for create-and-reconcile: the keys carrying its mark, whose secret cannot be read back, so
 * the live ones are discarded; an invalidated one is listed as dead (it proves the create landed).
 */
export async function markedKeyLeftovers<T extends { id: string }>(
  conn: Connection,
  name: string,
  mark: string,
  owner: KeyOwner | undefined,
): Promise<Leftover<T>[]> {
  return (await markedKeys(conn, name, mark, owner)).map((k) =>
    k.invalidated
      ? { id: k.id, dead: true, discard: async () => {} }
      : { id: k.id, discard: () => invalidateKey(conn, k.id, owner) },
  );
}

/**
 * Creates an API key whose metadata carries this create's mark, through the one create-and-reconcile path, as the
 * caller (recorded as the key's owner). Its secrets are registered for redaction.
 */
export async function createMarkedKey(
  conn: Connection,
  name: string,
  mark: string,
  create: () => Promise<CreatedApiKey>,
): Promise<{ key: CreatedApiKey; owner: KeyOwner }> {
  const owner = await identityOf(conn, conn.elasticsearch());
  const key = await createAndReconcile<CreatedApiKey>({
    mark,
    attempt: create,
    leftovers: () => markedKeyLeftovers(conn, name, mark, owner),
    unresolved: () => ({ owner }),
  });
  conn.keepSecret(key.api_key);
  conn.keepSecret(key.encoded);
  return { key, owner };
}
