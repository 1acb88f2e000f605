// Rules shared by every API-key API: name and metadata validation (docs/elastic-api.md C.1 table), expiration parsing
// (C.6), key creation with the identifier formats of F, and the owner check of C.4.
import { EsCause, xContentParseError } from "../errors";
import { encodeApiKey, hashSecret, newApiKeyId, newApiKeySecret } from "../ids";
import { Json, JsonObject, formatPosition, keyPosition } from "../json";
import { ApiKey, CrossClusterAccess, RoleDescriptor } from "../model";
import { Principal, limitingDescriptors, ownerOf, principalRealm, principalUsername } from "../principal";
import { EmulatorState } from "../state";
import { DurationError, parseExpiration } from "./duration";

export function apiKeyNameProblems(name: string | undefined): string[] {
  if (name === undefined || name === "") return ["api key name is required"];
  const problems: string[] = [];
  if (name.length > 256) problems.push("api key name may not be more than 256 characters long");
  if (name.trim() !== name) problems.push("api key name may not begin or end with whitespace");
  if (name.startsWith("_")) problems.push("api key name may not begin with an underscore");
  return problems;
}

export function metadataProblems(metadata: JsonObject | undefined): string[] {
  return metadata && Object.keys(metadata).some((k) => k.startsWith("_"))
    ? ["API key metadata keys may not start with [_]"]
    : [];
}

/**
 * Parses `expiration` of a request body into milliseconds (null = never). Failures are 400
 * x_content_parse_exception with the TimeValue message in caused_by (C.6).
 */
export function expirationOf(body: JsonObject, parser: string, wrapAsBuild: boolean): number | null | undefined {
  const raw: Json | undefined = body.expiration;
  if (raw === undefined || raw === null) return undefined;
  try {
    return parseExpiration(typeof raw === "string" ? raw : JSON.stringify(raw));
  } catch (error) {
    if (!(error instanceof DurationError)) throw error;
    const cause: EsCause = error.esCause;
    const reason = wrapAsBuild
      ? `Failed to build [${parser}] after last required field arrived`
      : `${formatPosition(keyPosition(body, "expiration"))} [${parser}] failed to parse field [expiration]`;
    throw xContentParseError(reason, cause);
  }
}

export interface NewKeyInput {
  name: string;
  type: ApiKey["type"];
  expirationMs: number | null | undefined;
  metadata: JsonObject | undefined;
  roleDescriptors: Record<string, RoleDescriptor>;
  access?: CrossClusterAccess;
}

/** Stores a new key owned by `principal` and returns the create response (key order of C.1). */
export function issueApiKey(
  state: EmulatorState,
  principal: Principal,
  input: NewKeyInput,
): { key: ApiKey; response: JsonObject } {
  const now = state.now();
  const id = newApiKeyId(now);
  const secret = newApiKeySecret();
  const key: ApiKey = {
    id,
    name: input.name,
    type: input.type,
    secretHash: hashSecret(secret),
    creation: now,
    invalidated: false,
    owner: ownerOf(principal),
    metadata: structuredClone(input.metadata ?? {}),
    metadataGiven: input.metadata !== undefined,
    role_descriptors: input.roleDescriptors,
    limited_by: input.type === "rest" ? limitingDescriptors(state, principal) : {},
    version: 1,
  };
  if (input.expirationMs !== undefined && input.expirationMs !== null) key.expiration = now + input.expirationMs;
  if (input.access) key.access = input.access;
  state.apiKeys.set(id, key);
  const response: JsonObject = { id, name: key.name };
  if (key.expiration !== undefined) response.expiration = key.expiration;
  response.api_key = secret;
  response.encoded = encodeApiKey(id, secret);
  return { key, response };
}

/** C.4: only the owner (same username and realm) can update a key. */
export function isOwnedBy(key: ApiKey, principal: Principal): boolean {
  return key.owner.username === principalUsername(principal) && key.owner.realm.name === principalRealm(principal).name;
}

export function isExpired(state: EmulatorState, key: ApiKey): boolean {
  return key.expiration !== undefined && key.expiration <= state.now();
}
