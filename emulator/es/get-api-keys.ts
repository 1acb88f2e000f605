// GET /_security/api_key (docs/elastic-api.md C.3): filters, owner scoping, active_only, with_limited_by, 404 for an
// unknown id.
import { EsRawError, validationFailed } from "../errors";
import { EmuResponse, json } from "../http-types";
import { JsonObject } from "../json";
import { ApiKey } from "../model";
import { ACTIONS, requireAction } from "../principal";
import { isExpired } from "./api-key-rules";
import { EsContext } from "./context";
import { renderAccess } from "./cross-cluster-access";
import { KeyFilter, isOwnerScoped, selectKeys } from "./key-queries";
import { renderRoleDescriptor } from "./role-descriptor";

export const GET_API_KEY_PARAMS = [
  "id",
  "name",
  "owner",
  "realm_name",
  "username",
  "with_limited_by",
  "active_only",
  "with_profile_uid",
];

export function renderApiKey(key: ApiKey, withLimitedBy: boolean): JsonObject {
  const out: JsonObject = { id: key.id, name: key.name, type: key.type, creation: key.creation };
  if (key.expiration !== undefined) out.expiration = key.expiration;
  out.invalidated = key.invalidated;
  if (key.invalidation !== undefined) out.invalidation = key.invalidation;
  out.username = key.owner.username;
  out.realm = key.owner.realm.name;
  out.realm_type = key.owner.realm.type;
  out.metadata = structuredClone(key.metadata);
  const descriptors: JsonObject = {};
  for (const [name, d] of Object.entries(key.role_descriptors)) descriptors[name] = renderRoleDescriptor(d);
  out.role_descriptors = descriptors;
  if (key.access) out.access = renderAccess(key.access);
  // C.3: limited_by is never returned for cross-cluster keys.
  if (withLimitedBy && key.type === "rest") {
    const limited: JsonObject = {};
    for (const [name, d] of Object.entries(key.limited_by)) limited[name] = renderRoleDescriptor(d);
    out.limited_by = [limited];
  }
  return out;
}

function flag(value: string | null): boolean {
  return value !== null && value !== "false";
}

export function getApiKeys(ctx: EsContext): EmuResponse {
  const q = ctx.req.query;
  const filter: KeyFilter = {};
  const id = q.get("id") ?? undefined;
  if (id !== undefined && id !== "") filter.ids = [id];
  const name = q.get("name");
  if (name) filter.name = name;
  const username = q.get("username");
  if (username) filter.username = username;
  const realmName = q.get("realm_name");
  if (realmName) filter.realmName = realmName;
  filter.owner = flag(q.get("owner"));
  const problems: string[] = [];
  if ((filter.ids || filter.name) && (filter.username || filter.realmName)) {
    problems.push("username or realm name must not be specified when the api key id or api key name is specified");
  }
  if (filter.owner && (filter.username || filter.realmName)) {
    problems.push("neither username nor realm-name may be specified when retrieving owned API keys");
  }
  if (filter.ids && filter.name) problems.push("only one of [api key id, api key name] can be specified");
  if (problems.length > 0) throw validationFailed(problems);
  const withLimitedBy = flag(q.get("with_limited_by"));
  // An API key needs manage_api_key or higher to see limited_by, even of itself.
  const ownerScoped = isOwnerScoped(ctx.principal, filter) && !(ctx.principal.kind === "api_key" && withLimitedBy);
  requireAction(ctx.state, ctx.principal, ACTIONS.apiKeyGet, ownerScoped);

  const activeOnly = flag(q.get("active_only"));
  const keys = selectKeys(ctx.state, ctx.principal, filter).filter(
    (k) => !activeOnly || (!k.invalidated && !isExpired(ctx.state, k)),
  );
  if (filter.ids && keys.length === 0) throw new EsRawError(404, { api_keys: [] });
  return json(200, { api_keys: keys.map((k) => renderApiKey(k, withLimitedBy)) });
}
