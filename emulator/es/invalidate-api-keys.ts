// DELETE /_security/api_key (docs/elastic-api.md E.1, C.5): strict body, the validation table, owner scoping, soft
// invalidation, silent ignoring of unknown and already-invalidated ids, error_details for cross-cluster keys.
import { validationFailed } from "../errors";
import { EmuResponse, json } from "../http-types";
import { Json, JsonObject } from "../json";
import { ACTIONS, Principal, hasClusterPrivilege, requireAction } from "../principal";
import { EmulatorState } from "../state";
import { EsContext } from "./context";
import { KeyFilter, isOwnerScoped, selectKeys } from "./key-queries";
import {
  optionalBoolean,
  optionalString,
  optionalStringArray,
  rejectUnknownFields,
  requireBody,
  requireObject,
} from "./parse";

const PARSER = "invalidate_api_key_request";

/** Invalidates as `principal`; also used in-process by Kibana (APM internal route, Fleet revoke). */
export function invalidateApiKeys(state: EmulatorState, principal: Principal, bodyJson: Json | undefined): JsonObject {
  const body = requireObject(requireBody(bodyJson), PARSER);
  rejectUnknownFields(body, PARSER, ["ids", "name", "username", "realm_name", "owner"]);
  const ids = optionalStringArray(body, "ids", PARSER);
  const name = optionalString(body, "name", PARSER) || undefined;
  const username = optionalString(body, "username", PARSER) || undefined;
  const realmName = optionalString(body, "realm_name", PARSER) || undefined;
  const owner = optionalBoolean(body, "owner", PARSER) ?? false;

  const problems: string[] = [];
  if (ids === undefined && !name && !username && !realmName && !owner) {
    problems.push(
      "One of [api key id(s), api key name, username, realm name] must be specified if [owner] flag is false",
    );
  }
  if ((ids !== undefined || name) && (username || realmName)) {
    problems.push("username or realm name must not be specified when the api key id(s) or api key name are specified");
  }
  if (owner && (username || realmName))
    problems.push("neither username nor realm-name may be specified when invalidating owned API keys");
  if (ids !== undefined && name) problems.push("only one of [api key id(s), api key name] can be specified");
  if (ids !== undefined && ids.length === 0) problems.push("Field [ids] cannot be an empty array");
  const blank = (ids ?? []).findIndex((id) => id.trim() === "");
  if (blank >= 0)
    problems.push(`Field [ids] must not contain blank id, but got blank id at index position: [${blank}]`);
  if (problems.length > 0) throw validationFailed(problems);

  const filter: KeyFilter = { owner };
  if (ids !== undefined) filter.ids = ids;
  if (name) filter.name = name;
  if (username) filter.username = username;
  if (realmName) filter.realmName = realmName;
  requireAction(state, principal, ACTIONS.apiKeyInvalidate, isOwnerScoped(principal, filter));

  const invalidated: string[] = [];
  const errors: JsonObject[] = [];
  const canInvalidateCrossCluster = hasClusterPrivilege(state, principal, "manage_security");
  const now = state.now();
  // E.1: only keys not yet invalidated are searched (expired ones included).
  for (const key of selectKeys(state, principal, filter).filter((k) => !k.invalidated)) {
    if (key.type === "cross_cluster" && !canInvalidateCrossCluster) {
      errors.push({
        type: "security_exception",
        reason: `Cannot invalidate cross-cluster API key [${key.id}]. This requires [manage_security] cluster privilege or higher`,
      });
      continue;
    }
    key.invalidated = true;
    key.invalidation = now;
    invalidated.push(key.id);
  }
  const response: JsonObject = {
    invalidated_api_keys: invalidated,
    previously_invalidated_api_keys: [],
    error_count: errors.length,
  };
  if (errors.length > 0) response.error_details = errors;
  return response;
}

export function deleteApiKeys(ctx: EsContext): EmuResponse {
  const result = invalidateApiKeys(ctx.state, ctx.principal, ctx.body);
  ctx.req.objects.push(...(result.invalidated_api_keys as string[]));
  return json(200, result);
}
