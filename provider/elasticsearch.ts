// Thin Elasticsearch endpoint functions over the HTTP layer. Each says which answers mean "gone"; the
// lifecycles decide what that means for Pulumi.
import type { Target } from "./connection";
import { expectJson, send, unexpected, type HttpResponse } from "./http";

export interface ApiKeyInfo {
  id: string;
  name: string;
  type?: "rest" | "cross_cluster";
  creation?: number;
  expiration?: number;
  invalidated: boolean;
  invalidation?: number;
  username?: string;
  realm?: string;
  metadata?: Record<string, unknown>;
  access?: CrossClusterAccessWire;
}

export interface CrossClusterSearchWire {
  names: string[] | string;
  query?: string | Record<string, unknown>;
  field_security?: { grant?: string[]; except?: string[] };
  allow_restricted_indices?: boolean;
}
export interface CrossClusterReplicationWire {
  names: string[] | string;
  allow_restricted_indices?: boolean;
}
export interface CrossClusterAccessWire {
  search?: CrossClusterSearchWire[];
  replication?: CrossClusterReplicationWire[];
}

export interface CreatedApiKey {
  id: string;
  name: string;
  expiration?: number;
  api_key: string;
  encoded: string;
}

export interface RoleWire {
  cluster: string[];
  indices?: unknown[];
  applications: { application: string; privileges: string[]; resources: string[] }[];
  run_as?: string[];
  metadata?: Record<string, unknown>;
  description?: string;
}

export async function authenticate(es: Target): Promise<{ username: string; api_key?: { id: string; name: string } }> {
  return expectJson(
    await send(es, { method: "GET", path: "/_security/_authenticate", idempotent: true }),
    "authentication check failed",
  );
}

// Visibility (C.3): manage_own_api_key only sees its own keys and must say owner=true; admins see all.
// We try the unscoped read first and remember per credential when it is forbidden.
const ownerScopedOnly = new Set<string>();
function credentialKey(es: Target): string {
  const c = es.credentials;
  return `${es.baseUrl}|${c.kind === "apiKey" ? c.apiKey : c.username}`;
}

/** The key, or undefined when Elasticsearch no longer knows it (404 `{"api_keys":[]}`). */
export async function getApiKey(es: Target, id: string): Promise<ApiKeyInfo | undefined> {
  const scoped = ownerScopedOnly.has(credentialKey(es));
  let res = await send(es, {
    method: "GET",
    path: "/_security/api_key",
    query: { id, owner: scoped ? true : undefined },
    idempotent: true,
  });
  if (res.status === 403 && !scoped) {
    ownerScopedOnly.add(credentialKey(es));
    res = await send(es, { method: "GET", path: "/_security/api_key", query: { id, owner: true }, idempotent: true });
  }
  if (res.status === 404) return undefined;
  const body = expectJson<{ api_keys: ApiKeyInfo[] }>(res, `reading API key ${id} failed`);
  return body.api_keys.find((k) => k.id === id);
}

/** Keys with exactly this name owned by the caller (used to find what an interrupted create may have made). */
export async function findOwnApiKeysByName(es: Target, name: string): Promise<ApiKeyInfo[]> {
  const res = await send(es, {
    method: "GET",
    path: "/_security/api_key",
    query: { name, owner: true },
    idempotent: true,
  });
  if (res.status === 404) return [];
  return expectJson<{ api_keys: ApiKeyInfo[] }>(res, `listing API keys named "${name}" failed`).api_keys.filter(
    (k) => k.name === name,
  );
}

export interface InvalidateResult {
  invalidated_api_keys: string[];
  previously_invalidated_api_keys: string[];
  error_count: number;
  error_details?: { type?: string; reason?: string }[];
}

/** E.1: soft invalidation. Unknown and already-invalidated ids come back as 200 with empty lists. */
export async function invalidateApiKeys(es: Target, ids: string[], owner: boolean): Promise<InvalidateResult> {
  const res = await send(es, {
    method: "DELETE",
    path: "/_security/api_key",
    body: owner ? { ids, owner: true } : { ids },
    idempotent: true,
  });
  if (res.status === 403) {
    throw unexpected(
      res,
      `invalidating API key ${ids.join(", ")} was refused`,
      owner
        ? undefined
        : "grant manage_api_key (or manage_security for cross-cluster keys) to the Elasticsearch user, or let the key's owner run the delete",
    );
  }
  return expectJson<InvalidateResult>(res, `invalidating API key ${ids.join(", ")} failed`);
}

export async function createCrossClusterApiKey(
  es: Target,
  body: { name: string; access: CrossClusterAccessWire; expiration?: string; metadata?: Record<string, unknown> },
): Promise<CreatedApiKey> {
  const res = await send(es, { method: "POST", path: "/_security/cross_cluster/api_key", body, idempotent: false });
  return expectJson<CreatedApiKey>(res, "creating the cross-cluster API key failed", crossClusterFix(res));
}

export async function updateCrossClusterApiKey(
  es: Target,
  id: string,
  body: { access?: CrossClusterAccessWire; metadata?: Record<string, unknown> },
): Promise<{ updated: boolean }> {
  const res = await send(es, {
    method: "PUT",
    path: `/_security/cross_cluster/api_key/${encodeURIComponent(id)}`,
    body,
    idempotent: true,
  });
  // C.4: an unknown, invalidated or expired key cannot be updated; state still holds it until a refresh.
  const gone =
    res.status === 404 || (res.status === 400 && /cannot update (invalidated|expired) API key/.test(res.text));
  return expectJson(
    res,
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

/** D.1: PUT is a full, idempotent replace; the answer says whether the role was new. */
export async function putRole(es: Target, name: string, role: RoleWire): Promise<{ created: boolean }> {
  const res = await send(es, {
    method: "PUT",
    path: `/_security/role/${encodeURIComponent(name)}`,
    body: role,
    idempotent: true,
  });
  return expectJson<{ role: { created: boolean } }>(
    res,
    `writing role "${name}" failed`,
    res.status === 403 ? "writing roles needs the manage_security cluster privilege" : undefined,
  ).role;
}

/** D.2: the role, or undefined on 404 `{}`. */
export async function getRole(es: Target, name: string): Promise<RoleWire | undefined> {
  const res = await send(es, { method: "GET", path: `/_security/role/${encodeURIComponent(name)}`, idempotent: true });
  if (res.status === 404) return undefined;
  return expectJson<Record<string, RoleWire>>(res, `reading role "${name}" failed`)[name];
}

/** D.3: hard delete; false when the role was already gone (404 `{"found":false}`). */
export async function deleteRole(es: Target, name: string): Promise<boolean> {
  const res = await send(es, {
    method: "DELETE",
    path: `/_security/role/${encodeURIComponent(name)}`,
    idempotent: true,
  });
  if (res.status === 404) return false;
  return expectJson<{ found: boolean }>(res, `deleting role "${name}" failed`).found;
}
