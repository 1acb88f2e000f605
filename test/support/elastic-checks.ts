// Server-side checks the engine tests make, through the real APIs as the superuser, so they hold on the emulator
// and on a real stack alike.
import * as assert from "node:assert/strict";
import type { TestContext } from "node:test";
import type { RequestLogEntry } from "../../emulator";
import type { ElasticTarget, Reply } from "./target";

export interface KeyView {
  id: string;
  name: string;
  invalidated: boolean;
  expiration?: number;
  username?: string;
  metadata?: Record<string, unknown>;
  access?: unknown;
  role_descriptors?: Record<string, unknown>;
}

/**
 * A lookup that got neither its answer nor the server's own "there is none" proves nothing: "no live key" or "no
 * longer authenticates" must not pass because the lookup itself failed.
 */
function lookupFailed(lookup: string, r: Reply): never {
  throw new Error(`${lookup} answered HTTP ${r.status}, so the check cannot be made: ${JSON.stringify(r.body)}`);
}

/** Elasticsearch's own error envelope (`{"error": {...}, "status": N}`), as opposed to a proxy's page. */
const isElasticsearchError = (body: unknown): boolean =>
  typeof body === "object" && body !== null && "error" in body && "status" in body;

export async function keysNamed(t: ElasticTarget, name: string): Promise<KeyView[]> {
  const lookup = `GET /_security/api_key?name=${encodeURIComponent(name)}`;
  const r = await t.es("GET", lookup.slice(4));
  // A name no key has is 200 with an empty list (docs/elastic-api.md C.3).
  if (r.status !== 200) lookupFailed(lookup, r);
  return ((r.body as { api_keys: KeyView[] }).api_keys ?? []).filter((k) => k.name === name);
}

export async function liveKeysNamed(t: ElasticTarget, name: string): Promise<KeyView[]> {
  return (await keysNamed(t, name)).filter(
    (k) => !k.invalidated && (k.expiration === undefined || k.expiration > Date.now()),
  );
}

/** The key, or undefined on Elasticsearch's own answer for an id it does not know (404 `{"api_keys": []}`, C.3). */
export async function keyById(t: ElasticTarget, id: string): Promise<KeyView | undefined> {
  const lookup = `GET /_security/api_key?id=${encodeURIComponent(id)}`;
  const r = await t.es("GET", lookup.slice(4));
  const keys = (r.body as { api_keys?: KeyView[] } | undefined)?.api_keys;
  if (r.status === 404 && Array.isArray(keys) && keys.length === 0) return undefined;
  if (r.status !== 200 || !Array.isArray(keys)) lookupFailed(lookup, r);
  return keys[0];
}

/**
 * Does `Authorization: ApiKey <encoded>` authenticate, and as which key? Undefined only when Elasticsearch itself
 * refuses the credential (401 with its error envelope).
 */
export async function authenticatesAs(t: ElasticTarget, encoded: string): Promise<string | undefined> {
  const r = await t.es("GET", "/_security/_authenticate", undefined, { apiKey: encoded });
  if (r.status === 401 && isElasticsearchError(r.body)) return undefined;
  if (r.status !== 200) lookupFailed("GET /_security/_authenticate", r);
  return (r.body as { api_key?: { id: string } }).api_key?.id;
}

export async function createUser(
  t: ElasticTarget,
  username: string,
  password: string,
  roles: string[],
): Promise<{ username: string; password: string }> {
  const r = await t.es("PUT", `/_security/user/${username}`, { password, roles });
  if (r.status !== 200) throw new Error(`creating test user ${username}: ${r.status} ${JSON.stringify(r.body)}`);
  return { username, password };
}

/** Why a check that needs the emulator's request log is not made against a real stack. */
export const NEEDS_REQUEST_LOG = "cannot be checked against a real stack: only the emulator logs the requests it got";

/**
 * Runs a check on the emulator's request log as a subtest of the calling test, so that against a real stack it is
 * reported skipped, with the reason, instead of passing.
 */
export async function checkRequestLog(
  ctx: Pick<TestContext, "test" | "diagnostic">,
  t: ElasticTarget,
  what: string,
  check: (log: RequestLogEntry[]) => void,
): Promise<void> {
  if (!t.emulator) ctx.diagnostic(`${what}: ${NEEDS_REQUEST_LOG}`);
  await ctx.test(what, { skip: t.emulator ? false : NEEDS_REQUEST_LOG }, () => check(t.emulator!.admin.requests()));
}

/** Elasticsearch's privilege checks and searches take a POST body but change nothing. */
const READ_ONLY_POST = /\/_has_privileges$|\/_query\/(api_key|role)$/;

/** The write requests (anything but GET, HEAD and the read-only POSTs) in a request log. */
export const writesIn = (log: RequestLogEntry[]): RequestLogEntry[] =>
  log.filter((r) => r.method !== "GET" && r.method !== "HEAD" && !(r.method === "POST" && READ_ONLY_POST.test(r.path)));

/** Asserts that the server got no write since the request log was cleared (skipped against a real stack). */
export function assertNothingWritten(
  ctx: Pick<TestContext, "test" | "diagnostic">,
  t: ElasticTarget,
  what = "nothing was written",
): Promise<void> {
  return checkRequestLog(ctx, t, what, (log) =>
    assert.deepEqual(
      writesIn(log).map((r) => `${r.method} ${r.path}`),
      [],
      what,
    ),
  );
}

/** A key replaced by a rotation: the one that must exist before `oldId` is retired. */
export interface Rotation {
  /** What the key is, for the messages (e.g. "agent key"). */
  key: string;
  oldId: string;
  newId: string;
}

/**
 * Whether a logged request retired keys (ES invalidation, Fleet revocation, the APM UI's invalidate route, or an
 * update that set a key to expire: the overlap of `retireAfter`).
 */
const retires = (r: RequestLogEntry): boolean =>
  r.method === "DELETE" ||
  r.path.endsWith("/api_key/invalidate") ||
  (r.method === "PUT" && /\/api_key\/[^/]+$/.test(r.path) && r.objects.length > 0);

/**
 * Rotation without an outage, per key: the request that made the new key ended before the request that invalidated
 * or revoked the old one began to count (the emulator's request log, in the order requests ended; skipped against
 * a real stack).
 */
export function assertCreatedBeforeRetired(
  ctx: Pick<TestContext, "test" | "diagnostic">,
  t: ElasticTarget,
  rotations: Rotation[],
): Promise<void> {
  const what = `each new key is made before the old one is retired (${rotations.map((r) => r.key).join(", ")})`;
  return checkRequestLog(ctx, t, what, (log) => {
    const shown = log.map((r, i) => `${i}: ${r.method} ${r.path} [${r.objects.join(", ")}]`).join("\n");
    for (const { key, oldId, newId } of rotations) {
      const made = log.findIndex((r) => !retires(r) && r.objects.includes(newId));
      const retired = log.findIndex((r) => retires(r) && r.objects.includes(oldId));
      assert.ok(made >= 0, `${key}: no request in the log made ${newId}\n${shown}`);
      assert.ok(retired >= 0, `${key}: no request in the log retired ${oldId}\n${shown}`);
      assert.ok(
        made < retired,
        `${key}: ${oldId} was retired (request ${retired}) before ${newId} was made (request ${made})\n${shown}`,
      );
    }
  });
}

/** Asserts that none of the given values occurs in the text; returns the offending values. */
export function leaked(text: string, values: (string | undefined)[]): string[] {
  return values.filter((v): v is string => !!v && v.length >= 4 && text.includes(v));
}

/** A Fleet agent policy to put enrollment keys on; returns its id. */
export async function createAgentPolicy(t: ElasticTarget, name: string): Promise<string> {
  const r = await t.kibana("POST", "/api/fleet/agent_policies", { name, namespace: "default" });
  if (r.status !== 200) throw new Error(`creating agent policy ${name}: ${r.status} ${JSON.stringify(r.body)}`);
  return (r.body as { item: { id: string } }).item.id;
}

/** The enrollment keys of a policy that are still active, through every page of Fleet's list. */
export async function activeEnrollmentKeys(
  t: ElasticTarget,
  policyId: string,
): Promise<{ id: string; name: string }[]> {
  const keys: { id: string; name: string; active: boolean }[] = [];
  for (let page = 1; ; page++) {
    const lookup = `GET /api/fleet/enrollment_api_keys?page=${page}&perPage=100&kuery=${encodeURIComponent(`policy_id:"${policyId}"`)}`;
    const r = await t.kibana("GET", lookup.slice(4));
    if (r.status !== 200 || !Array.isArray((r.body as { items?: unknown } | undefined)?.items)) lookupFailed(lookup, r);
    const body = r.body as { items: { id: string; name: string; active: boolean }[]; total: number };
    keys.push(...body.items);
    if (body.items.length === 0 || keys.length >= body.total) break;
  }
  return keys.filter((k) => k.active);
}
