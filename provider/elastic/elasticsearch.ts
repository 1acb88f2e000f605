// Thin Elasticsearch endpoint functions over the HTTP layer: method, path, body, the shape of a good answer, and
// which answer proves that an object does not exist. The lifecycles decide what those answers mean for Pulumi.
// Section codes in comments refer to docs/elastic-api.md.
import { z } from "zod";
import { expectBody, expectCreated, fromElasticsearch, unexpected } from "./answers";
import type { Target } from "./target";
import { pathSegment } from "./path-segment";
import { send } from "./retry";
import type { HttpResponse } from "./transport";

const SERVICE = "Elasticsearch";

const accessEntry = z.object({
  names: z.union([z.array(z.string()), z.string()]),
  query: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
  field_security: z
    .object({ grant: z.array(z.string()).optional(), except: z.array(z.string()).optional() })
    .optional(),
  allow_restricted_indices: z.boolean().optional(),
});
const crossClusterAccessWire = z.object({
  search: z.array(accessEntry).optional(),
  replication: z.array(accessEntry.pick({ names: true, allow_restricted_indices: true })).optional(),
});
export type CrossClusterAccessWire = z.infer<typeof crossClusterAccessWire>;

const apiKeyInfo = z.object({
  id: z.string(),
  name: z.string(),
  type: z.enum(["rest", "cross_cluster"]).optional(),
  creation: z.number().optional(),
  expiration: z.number().optional(),
  invalidated: z.boolean(),
  invalidation: z.number().optional(),
  username: z.string().optional(),
  realm: z.string().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  // C.3: the descriptors assigned at create or update (`{}`: the owner's full privileges). Returned since 8.5
  // (GetApiKeyResponse, elastic/elasticsearch#89166), so by every version supported.
  role_descriptors: z.record(z.string(), z.unknown()).optional(),
  access: crossClusterAccessWire.optional(),
});
export type ApiKeyInfo = z.infer<typeof apiKeyInfo>;
const apiKeyList = z.object({ api_keys: z.array(apiKeyInfo) });

const createdApiKey = z.object({
  id: z.string(),
  name: z.string(),
  expiration: z.number().optional(),
  api_key: z.string(),
  encoded: z.string(),
});
export type CreatedApiKey = z.infer<typeof createdApiKey>;

const invalidateResult = z.object({
  invalidated_api_keys: z.array(z.string()),
  previously_invalidated_api_keys: z.array(z.string()).default([]),
  error_count: z.number(),
  error_details: z.array(z.object({ type: z.string().optional(), reason: z.string().optional() })).optional(),
});
export type InvalidateResult = z.infer<typeof invalidateResult>;

const roleWire = z.object({
  cluster: z.array(z.string()).default([]),
  indices: z.array(z.unknown()).optional(),
  applications: z
    .array(z.object({ application: z.string(), privileges: z.array(z.string()), resources: z.array(z.string()) }))
    .default([]),
  run_as: z.array(z.string()).optional(),
  // Read so that what a role grants beyond an ApmRole is seen (D.2), never written by this provider.
  remote_indices: z.array(z.unknown()).optional(),
  remote_cluster: z.array(z.unknown()).optional(),
  global: z.record(z.string(), z.unknown()).optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  description: z.string().optional(),
});
export type RoleWire = z.infer<typeof roleWire>;

const authenticateResult = z.object({
  username: z.string(),
  authentication_realm: z.object({ name: z.string() }).optional(),
  lookup_realm: z.object({ name: z.string() }).optional(),
  authentication_type: z.string().optional(),
  api_key: z.object({ id: z.string() }).optional(),
});
export type AuthenticateResult = z.infer<typeof authenticateResult>;

const hasPrivilegesResult = z.object({
  has_all_requested: z.boolean(),
  username: z.string().optional(),
  cluster: z.record(z.string(), z.boolean()).default({}),
  application: z.record(z.string(), z.record(z.string(), z.record(z.string(), z.boolean()))).default({}),
});
export type HasPrivilegesResult = z.infer<typeof hasPrivilegesResult>;

/** A read whose answer either holds the object or proves it does not exist. */
export type Lookup<T> = { found: true; value: T } | { found: false };

/** A 404 that Elasticsearch itself gave, with the body it gives for this object's absence (0.1). */
function provenAbsent(res: HttpResponse, body: (b: Record<string, unknown>) => boolean): boolean {
  const b = res.body;
  return (
    res.status === 404 && fromElasticsearch(res) && !!b && typeof b === "object" && body(b as Record<string, unknown>)
  );
}

const emptyKeyList = (b: Record<string, unknown>) => Array.isArray(b.api_keys) && b.api_keys.length === 0;

export async function authenticate(es: Target): Promise<AuthenticateResult> {
  const res = await send(es, { method: "GET", path: "/_security/_authenticate", idempotent: true });
  return expectBody(res, SERVICE, authenticateResult, "authentication check failed");
}

/**
 * E.3: the cluster's version (`GET /`), a best-effort probe: undefined when the credential may not ask (it needs
 * `monitor`) — Elasticsearch's own 403 — so a caller must treat "unknown" as "cannot tell".
 */
export async function clusterVersion(es: Target): Promise<string | undefined> {
  const res = await send(es, { method: "GET", path: "/", idempotent: true });
  if (res.status === 403 && fromElasticsearch(res)) return undefined;
  const info = z.object({ version: z.object({ number: z.string() }) });
  return expectBody(res, SERVICE, info, "reading the cluster's version failed").version.number;
}

/** What is asked of GET /_security/api_key (C.3): scoped to the caller's own keys, and only keys active now. */
export interface KeyReadScope {
  owner: boolean;
  activeOnly?: boolean;
}

/**
 * One key by id. Absent only on Elasticsearch's own `404 {"api_keys": []}`; a 403 (the credential may not read keys
 * beyond its own) is returned as `forbidden` for the caller to retry with the owner scope.
 */
export async function getApiKey(
  es: Target,
  id: string,
  scope: KeyReadScope,
): Promise<Lookup<ApiKeyInfo> | { forbidden: HttpResponse }> {
  const res = await send(es, {
    method: "GET",
    path: "/_security/api_key",
    query: { id, owner: scope.owner || undefined, active_only: scope.activeOnly || undefined },
    idempotent: true,
  });
  if (res.status === 403 && fromElasticsearch(res)) return { forbidden: res };
  if (provenAbsent(res, emptyKeyList)) return { found: false };
  const key = expectBody(res, SERVICE, apiKeyList, `reading API key ${id} failed`).api_keys.find((k) => k.id === id);
  return key ? { found: true, value: key } : { found: false };
}

/** Keys with exactly this name (a name lookup is 200 with an empty list when there are none). */
export async function getApiKeysByName(
  es: Target,
  name: string,
  scope: KeyReadScope,
): Promise<ApiKeyInfo[] | { forbidden: HttpResponse }> {
  const res = await send(es, {
    method: "GET",
    path: "/_security/api_key",
    query: { name, owner: scope.owner || undefined },
    idempotent: true,
  });
  if (res.status === 403 && fromElasticsearch(res)) return { forbidden: res };
  return expectBody(res, SERVICE, apiKeyList, `listing API keys named "${name}" failed`).api_keys.filter(
    (k) => k.name === name,
  );
}

/**
 * E.4: the keys a query finds (`POST /_security/_query/api_key`), which Elasticsearch evaluates with its own clock
 * (`now` in a range). A manage_own_api_key caller only ever finds its own keys.
 */
export async function queryApiKeys(es: Target, body: Record<string, unknown>): Promise<ApiKeyInfo[]> {
  const res = await send(es, { method: "POST", path: "/_security/_query/api_key", body, idempotent: true });
  return expectBody(res, SERVICE, apiKeyList, "querying API keys failed").api_keys;
}

/**
 * C.4 (Elasticsearch 8.13+ for `expiration`): changes a key the caller owns — only its metadata and expiry here. A
 * 404 means "not a key this caller owns", a 400 about `expiration` an Elasticsearch that cannot set it: both are
 * returned for the caller to fall back.
 */
export async function updateKeyExpiry(
  es: Target,
  id: string,
  crossCluster: boolean,
  body: { metadata: Record<string, unknown>; expiration: string },
): Promise<{ updated: boolean } | { refused: HttpResponse }> {
  const res = await send(es, {
    method: "PUT",
    path: `/_security/${crossCluster ? "cross_cluster/" : ""}api_key/${encodeURIComponent(id)}`,
    body,
    idempotent: true,
  });
  if (fromElasticsearch(res) && (res.status === 404 || res.status === 400 || res.status === 403))
    return { refused: res };
  return expectBody(res, SERVICE, z.object({ updated: z.boolean() }), `setting the expiry of API key ${id} failed`);
}

/** E.1: soft invalidation. Unknown and already-invalidated ids come back as 200 with empty lists. */
export async function invalidateApiKeys(
  es: Target,
  ids: string[],
  owner: boolean,
): Promise<InvalidateResult | { forbidden: HttpResponse }> {
  const res = await send(es, {
    method: "DELETE",
    path: "/_security/api_key",
    body: owner ? { ids, owner: true } : { ids },
    idempotent: true,
  });
  if (res.status === 403 && fromElasticsearch(res)) return { forbidden: res };
  return expectBody(res, SERVICE, invalidateResult, `invalidating API key ${ids.join(", ")} failed`);
}

/** A REST API key owned by the caller (what Kibana's APM agent key route makes, A.3). */
export async function createApiKey(
  es: Target,
  body: {
    name: string;
    role_descriptors: Record<string, unknown>;
    metadata: Record<string, unknown>;
    expiration?: string;
  },
): Promise<CreatedApiKey> {
  const res = await send(es, { method: "POST", path: "/_security/api_key", body, idempotent: false });
  return expectCreated(
    res,
    SERVICE,
    createdApiKey,
    "creating the API key failed",
    res.status === 403
      ? "creating API keys needs the manage_own_api_key cluster privilege (the ApmRole grants it)"
      : undefined,
  );
}

/**
 * C.4 (REST keys): `PUT /_security/api_key/{id}` (8.4+) replaces the key's role descriptors and metadata; same id,
 * same secret. Only the owner user may update, never an API key credential.
 */
export async function updateApiKey(
  es: Target,
  id: string,
  body: { role_descriptors: Record<string, unknown>; metadata: Record<string, unknown> },
): Promise<{ updated: boolean }> {
  const res = await send(es, {
    method: "PUT",
    path: `/_security/api_key/${pathSegment(id, "API key id")}`,
    body,
    idempotent: true,
  });
  const gone =
    fromElasticsearch(res) && res.status === 400 && /cannot update (invalidated|expired) API key/.test(res.text);
  const notOwned = fromElasticsearch(res) && res.status === 404;
  return expectBody(
    res,
    SERVICE,
    z.object({ updated: z.boolean() }),
    `updating API key ${id} failed`,
    gone
      ? "the key is gone (invalidated or expired): run `pulumi refresh` to drop it from state; the next `pulumi up` creates a new one"
      : notOwned
        ? "only the key's owner may update it: run `pulumi up` as the owner, or `pulumi refresh` with the current credential and then `pulumi up`, which replaces the key instead (new key first)"
        : res.status === 403
          ? "updating API keys needs the manage_own_api_key cluster privilege (the ApmRole grants it)"
          : undefined,
  );
}

export async function hasPrivileges(
  es: Target,
  body: { cluster?: string[]; application?: { application: string; privileges: string[]; resources: string[] }[] },
): Promise<HasPrivilegesResult> {
  const res = await send(es, { method: "POST", path: "/_security/user/_has_privileges", body, idempotent: true });
  return expectBody(res, SERVICE, hasPrivilegesResult, "checking the credential's privileges failed");
}

export async function createCrossClusterApiKey(
  es: Target,
  body: { name: string; access: CrossClusterAccessWire; expiration?: string; metadata?: Record<string, unknown> },
): Promise<CreatedApiKey> {
  const res = await send(es, { method: "POST", path: "/_security/cross_cluster/api_key", body, idempotent: false });
  return expectCreated(res, SERVICE, createdApiKey, "creating the cross-cluster API key failed", crossClusterFix(res));
}

export async function updateCrossClusterApiKey(
  es: Target,
  id: string,
  body: { access?: CrossClusterAccessWire; metadata?: Record<string, unknown> },
): Promise<{ updated: boolean }> {
  const res = await send(es, {
    method: "PUT",
    path: `/_security/cross_cluster/api_key/${pathSegment(id, "API key id")}`,
    body,
    idempotent: true,
  });
  // C.4: an unknown, invalidated or expired key cannot be updated; state still holds it until a refresh.
  const gone =
    fromElasticsearch(res) &&
    (res.status === 404 || (res.status === 400 && /cannot update (invalidated|expired) API key/.test(res.text)));
  return expectBody(
    res,
    SERVICE,
    z.object({ updated: z.boolean() }),
    `updating cross-cluster API key ${id} failed`,
    gone
      ? "the key is gone (invalidated, expired or deleted): run `pulumi refresh` to drop it from state; the next `pulumi up` creates a new one"
      : crossClusterFix(res),
  );
}

function crossClusterFix(res: HttpResponse): string | undefined {
  if (res.status === 403)
    return "cross-cluster API keys need the manage_security cluster privilege on the Elasticsearch user";
  // C: cross-cluster keys cannot be made or changed with an API key credential.
  if (res.status === 400 && /authentication via API key not supported/.test(res.text))
    return "cross-cluster API keys must be managed with a user's credentials, not an API key: set the Elasticsearch username and password (elastic:elasticsearchUsername / elasticsearchPassword, or ELASTICSEARCH_USERNAME / ELASTICSEARCH_PASSWORD) instead of the API key setting";
  if (res.status === 400) return "correct the input Elastic names above";
  return undefined;
}

/**
 * D.1: PUT is a full replace; the answer says whether the role was new. As the write that creates a role it is not
 * retried blindly (`creates`): a lost answer is settled by the role's create mark, since a retry would answer
 * `created: false` whoever made the role.
 */
export async function putRole(
  es: Target,
  name: string,
  role: RoleWire,
  options: { creates?: boolean } = {},
): Promise<{ created: boolean }> {
  const res = await send(es, {
    method: "PUT",
    path: `/_security/role/${pathSegment(name, "role name")}`,
    body: role,
    idempotent: !options.creates,
  });
  return (options.creates ? expectCreated : expectBody)(
    res,
    SERVICE,
    z.object({ role: z.object({ created: z.boolean() }) }),
    `writing role "${name}" failed`,
    res.status === 403 ? "writing roles needs the manage_security cluster privilege" : undefined,
  ).role;
}

/** D.2: the role; absent only on Elasticsearch's own `404 {}`. */
export async function getRole(es: Target, name: string): Promise<Lookup<RoleWire>> {
  const res = await send(es, {
    method: "GET",
    path: `/_security/role/${pathSegment(name, "role name")}`,
    idempotent: true,
  });
  if (provenAbsent(res, (b) => Object.keys(b).length === 0)) return { found: false };
  const roles = expectBody(res, SERVICE, z.record(z.string(), roleWire), `reading role "${name}" failed`);
  return roles[name] ? { found: true, value: roles[name] } : { found: false };
}

/** D.3: hard delete; false only on Elasticsearch's own `404 {"found": false}` (already gone). */
export async function deleteRole(es: Target, name: string): Promise<boolean> {
  const res = await send(es, {
    method: "DELETE",
    path: `/_security/role/${pathSegment(name, "role name")}`,
    idempotent: true,
  });
  if (provenAbsent(res, (b) => b.found === false)) return false;
  return expectBody(res, SERVICE, z.object({ found: z.boolean() }), `deleting role "${name}" failed`).found;
}

/** Elasticsearch's 403 as an error naming the endpoint, Elastic's message and what to grant. */
export function forbidden(res: HttpResponse, summary: string, fix: string) {
  return unexpected(res, summary, { fix, service: SERVICE, code: "forbidden" });
}
