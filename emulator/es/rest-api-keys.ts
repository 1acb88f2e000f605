// REST API keys: POST/PUT /_security/api_key (create) and PUT /_security/api_key/{id} (update: the table of
// docs/elastic-api.md C.4, reversed).
import { EsError, illegalArgument, validationFailed } from "../errors";
import { EmuResponse, json } from "../http-types";
import { Json, JsonObject, canonicalJson, isObject } from "../json";
import { ApiKey, RoleDescriptor } from "../model";
import { ACTIONS, Principal, limitingDescriptors, ownerOf, requireAction } from "../principal";
import { EmulatorState } from "../state";
import { versionAtLeast } from "../versions";
import { apiKeyNameProblems, expirationOf, isExpired, isOwnedBy, issueApiKey, metadataProblems } from "./api-key-rules";
import { EsContext } from "./context";
import { optionalObject, optionalString, rejectUnknownFields, requireBody, requireObject } from "./parse";
import { parseRoleDescriptor } from "./role-descriptor";
import { restrictionConstraintFailure } from "./role-restriction";

const CREATE_PARSER = "api_key_request";
const UPDATE_PARSER = "update_api_key_request";

/** role_descriptors of a REST key request; `restriction` is allowed from 8.9. */
export function parseRoleDescriptors(
  state: EmulatorState,
  value: Json | undefined,
  problems: string[],
): Record<string, RoleDescriptor> | undefined {
  if (value === undefined || value === null) return undefined;
  const allowRestriction = versionAtLeast(state.options.esVersion, 8, 9);
  if (!isObject(value)) throw illegalArgument("[role_descriptors] must be an object");
  const out: Record<string, RoleDescriptor> = {};
  for (const [name, body] of Object.entries(value)) {
    if (!isObject(body))
      throw new EsError(400, "parse_exception", `failed to parse role [${name}]. expected an object`);
    const parsed = parseRoleDescriptor(name, body, state.options.esVersion, allowRestriction);
    problems.push(...parsed.problems);
    out[name] = parsed.descriptor;
  }
  return out;
}

export function requireRestrictionConstraints(descriptors: Record<string, RoleDescriptor> | undefined): void {
  const failure = restrictionConstraintFailure(Object.values(descriptors ?? {}));
  if (failure) throw illegalArgument(failure);
}

function hasAnyPrivilege(d: RoleDescriptor): boolean {
  return d.cluster.length > 0 || d.indices.length > 0 || d.applications.length > 0 || d.run_as.length > 0;
}

/** Creates a REST key as `principal`; also used in-process by Kibana (APM as the caller, Fleet as kibana_system). */
export function createRestApiKey(state: EmulatorState, principal: Principal, bodyJson: Json | undefined): JsonObject {
  const body = requireObject(requireBody(bodyJson), CREATE_PARSER);
  rejectUnknownFields(body, CREATE_PARSER, ["name", "expiration", "role_descriptors", "metadata"]);
  const name = optionalString(body, "name", CREATE_PARSER);
  const expirationMs = expirationOf(body, CREATE_PARSER, false);
  const metadata = optionalObject(body, "metadata", CREATE_PARSER);
  const problems: string[] = [];
  const roleDescriptors = parseRoleDescriptors(state, body.role_descriptors, problems);
  const all = [...apiKeyNameProblems(name), ...metadataProblems(metadata), ...problems];
  if (all.length > 0) throw validationFailed(all);
  requireAction(state, principal, ACTIONS.apiKeyCreate);
  requireRestrictionConstraints(roleDescriptors);
  // A key created with a key must carry an explicitly empty descriptor (derived keys cannot hold privileges).
  if (
    principal.kind === "api_key" &&
    (!roleDescriptors ||
      Object.values(roleDescriptors).some(hasAnyPrivilege) ||
      Object.keys(roleDescriptors).length === 0)
  ) {
    throw illegalArgument(
      "creating derived api keys requires an explicit role descriptor that is empty (has no privileges)",
    );
  }
  return issueApiKey(state, principal, {
    name: name as string,
    type: "rest",
    expirationMs,
    metadata,
    roleDescriptors: roleDescriptors ?? {},
  }).response;
}

export function postApiKey(ctx: EsContext): EmuResponse {
  const created = createRestApiKey(ctx.state, ctx.principal, ctx.body);
  ctx.req.objects.push(created.id as string);
  return json(200, created);
}

/** Only the owner user updates keys; an API key cannot, not even itself. */
export function requireOwnerUser(principal: Principal): void {
  if (principal.kind === "api_key") {
    throw illegalArgument("authentication via API key not supported: An API key cannot be used to update an API key");
  }
}

/** The checks every update runs once the body is valid (C.4 table). */
export function findUpdatableKey(
  state: EmulatorState,
  principal: Principal,
  id: string,
  expectedType: ApiKey["type"],
): ApiKey {
  requireOwnerUser(principal);
  const key = state.apiKeys.get(id);
  if (!key || !isOwnedBy(key, principal)) {
    throw new EsError(404, "resource_not_found_exception", `no API key owned by requesting user found for ID [${id}]`);
  }
  if (key.invalidated) throw illegalArgument(`cannot update invalidated API key [${id}]`);
  if (isExpired(state, key)) throw illegalArgument(`cannot update expired API key [${id}]`);
  if (key.type !== expectedType) {
    throw illegalArgument(`cannot update API key of type [${key.type}] while expected type is [${expectedType}]`);
  }
  return key;
}

export interface KeyChanges {
  roleDescriptors?: Record<string, RoleDescriptor>;
  metadata?: JsonObject;
  expirationMs?: number | null;
  access?: ApiKey["access"];
}

/** Applies an update unless it is a no-op (C.4): same descriptors, metadata, owner details, no expiration. */
export function applyKeyUpdate(state: EmulatorState, principal: Principal, key: ApiKey, changes: KeyChanges): boolean {
  const owner = ownerOf(principal);
  const limitedBy = key.type === "rest" ? limitingDescriptors(state, principal) : {};
  const same =
    (changes.roleDescriptors === undefined ||
      canonicalJson(changes.roleDescriptors as unknown as Json) ===
        canonicalJson(key.role_descriptors as unknown as Json)) &&
    (changes.access === undefined ||
      canonicalJson(changes.access as unknown as Json) === canonicalJson(key.access as unknown as Json)) &&
    (changes.metadata === undefined ||
      (key.metadataGiven && canonicalJson(changes.metadata) === canonicalJson(key.metadata))) &&
    !("expirationMs" in changes) &&
    canonicalJson(owner as unknown as Json) === canonicalJson(key.owner as unknown as Json) &&
    canonicalJson(limitedBy as unknown as Json) === canonicalJson(key.limited_by as unknown as Json);
  if (same) return false;
  if (changes.roleDescriptors !== undefined) key.role_descriptors = changes.roleDescriptors;
  if (changes.access !== undefined) key.access = changes.access;
  if (changes.metadata !== undefined) {
    key.metadata = structuredClone(changes.metadata);
    key.metadataGiven = true;
  }
  if ("expirationMs" in changes) {
    if (changes.expirationMs === null || changes.expirationMs === undefined) delete key.expiration;
    else key.expiration = state.now() + changes.expirationMs;
  }
  key.owner = owner;
  key.limited_by = limitedBy;
  key.version++;
  return true;
}

export function putApiKeyUpdate(ctx: EsContext): EmuResponse {
  const body = ctx.body === undefined ? {} : requireObject(ctx.body, UPDATE_PARSER);
  rejectUnknownFields(body, UPDATE_PARSER, ["role_descriptors", "metadata", "expiration"]);
  const metadata = optionalObject(body, "metadata", UPDATE_PARSER);
  const expirationMs = expirationOf(body, UPDATE_PARSER, false);
  const problems: string[] = [];
  const roleDescriptors = parseRoleDescriptors(ctx.state, body.role_descriptors, problems);
  const all = [...metadataProblems(metadata), ...problems];
  if (all.length > 0) throw validationFailed(all);
  requireAction(ctx.state, ctx.principal, ACTIONS.apiKeyUpdate, true);
  requireRestrictionConstraints(roleDescriptors);
  const key = findUpdatableKey(ctx.state, ctx.principal, ctx.params.id as string, "rest");
  const changes: KeyChanges = {};
  if (roleDescriptors !== undefined) changes.roleDescriptors = roleDescriptors;
  if (metadata !== undefined) changes.metadata = metadata;
  // Elasticsearch 8.13+ (UPDATE_API_KEY_EXPIRATION_TIME_ADDED in TransportVersions, after V_8_12_0): every modelled
  // version. Owner-only, as every update (findUpdatableKey). A key set to expire is logged as one it retires.
  if (expirationMs !== undefined) {
    changes.expirationMs = expirationMs;
    ctx.req.objects.push(key.id);
  }
  return json(200, { updated: applyKeyUpdate(ctx.state, ctx.principal, key, changes) });
}
