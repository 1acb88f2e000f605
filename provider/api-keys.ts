// Operations shared by the resources that are Elasticsearch API keys underneath (APM agent keys, cross-cluster keys).
import type { Target } from "./connection";
import { getApiKey, invalidateApiKeys, type ApiKeyInfo } from "./elasticsearch";
import { ElasticKeysError } from "./errors";
import { send, expectJson, OutcomeUnknownError } from "./http";

/** Gone is gone: invalidated, expired or unknown keys count as deleted (pulumi-notes 7.1). */
export function isLive(key: ApiKeyInfo | undefined, now = Date.now()): key is ApiKeyInfo {
  return !!key && !key.invalidated && (key.expiration === undefined || key.expiration > now);
}

export async function readLiveKey(es: Target, id: string): Promise<ApiKeyInfo | undefined> {
  const key = await getApiKey(es, id);
  return isLive(key) ? key : undefined;
}

/**
 * Invalidates a key and makes sure it really is: first as its owner (`owner: true`, all a manage_own_api_key user
 * may do), then — when the key belongs to another user — as an admin. A 200 carrying error_details is a failure.
 */
export async function invalidateKey(es: Target, id: string): Promise<void> {
  const owned = await invalidateApiKeys(es, [id], true);
  failOnErrorDetails(owned, id);
  if (owned.invalidated_api_keys.includes(id)) return;
  if (!isLive(await getApiKey(es, id))) return; // unknown, expired or already invalidated: nothing to do
  const admin = await invalidateApiKeys(es, [id], false);
  failOnErrorDetails(admin, id);
  if (isLive(await getApiKey(es, id))) {
    throw new ElasticKeysError(`API key ${id} is still active after invalidation`, {
      fix: "invalidate it by hand (DELETE /_security/api_key) with a user that owns it or holds manage_api_key",
    });
  }
}

function failOnErrorDetails(
  result: { error_count: number; error_details?: { type?: string; reason?: string }[] },
  id: string,
): void {
  if (result.error_count > 0) {
    const reasons = (result.error_details ?? []).map((d) => d.reason ?? d.type).join("; ");
    throw new ElasticKeysError(`invalidating API key ${id} failed`, {
      endpoint: "DELETE /_security/api_key",
      status: 200,
      elasticMessage: reasons,
      fix: /cross-cluster/i.test(reasons)
        ? "cross-cluster keys can only be invalidated by a user with the manage_security cluster privilege"
        : undefined,
    });
  }
}

// Ids this provider process created successfully: never mistaken for orphans of a sibling's interrupted create.
const createdHere = new Set<string>();
export function rememberCreated(id: string): void {
  createdHere.add(id);
}

/** Keys with this name visible to the credential: all of them for admins, the caller's own otherwise. */
async function keysNamed(es: Target, name: string): Promise<ApiKeyInfo[]> {
  let res = await send(es, { method: "GET", path: "/_security/api_key", query: { name }, idempotent: true });
  if (res.status === 403)
    res = await send(es, { method: "GET", path: "/_security/api_key", query: { name, owner: true }, idempotent: true });
  if (res.status === 404) return [];
  return expectJson<{ api_keys: ApiKeyInfo[] }>(res, `listing API keys named "${name}" failed`).api_keys.filter(
    (k) => k.name === name,
  );
}

/** Slack for clock skew between this machine and Elasticsearch when matching an orphan's creation time. */
const SKEW_MS = 2_000;
const MAX_ATTEMPTS = 5;

/**
 * Creates a key whose create call is not idempotent (names are not unique, and neither Kibana's nor ES's read hands
 * the secret back). When an attempt's outcome is unknown, any key with that name created since the attempt began,
 * and not known to this process, is an orphan of it: invalidate it, then create again. Never leaves a live orphan.
 */
export async function createWithoutOrphans<T extends { id: string }>(
  es: Target,
  name: string,
  matches: (key: ApiKeyInfo) => boolean,
  attempt: () => Promise<T>,
): Promise<T> {
  for (let i = 1; ; i++) {
    const started = Date.now();
    try {
      const created = await attempt();
      rememberCreated(created.id);
      return created;
    } catch (err) {
      if (!(err instanceof OutcomeUnknownError) || i >= MAX_ATTEMPTS) throw err;
      const orphans = (await keysNamed(es, name)).filter(
        (k) => isLive(k) && !createdHere.has(k.id) && (k.creation ?? 0) >= started - SKEW_MS && matches(k),
      );
      for (const orphan of orphans) await invalidateKey(es, orphan.id);
    }
  }
}
