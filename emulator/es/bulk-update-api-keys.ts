// POST /_security/api_key/_bulk_update (ES 8.5+): one change applied to several REST keys of the caller. Keys that
// cannot take it are reported one by one under errors; the others are updated, or listed as noops (docs/elastic-api.md
// C.4 rules).
import { EsError, illegalArgument, validationFailed } from "../errors";
import { EmuResponse, json } from "../http-types";
import { JsonObject } from "../json";
import { ACTIONS, requireAction } from "../principal";
import { expirationOf, metadataProblems } from "./api-key-rules";
import { EsContext } from "./context";
import { optionalObject, optionalStringArray, rejectUnknownFields, requireBody, requireObject } from "./parse";
import {
  KeyChanges,
  applyKeyUpdate,
  findUpdatableKey,
  parseRoleDescriptors,
  requireOwnerUser,
  requireRestrictionConstraints,
} from "./rest-api-keys";

const PARSER = "bulk_update_api_key_request";

export function postBulkUpdateApiKeys(ctx: EsContext): EmuResponse {
  const body = requireObject(requireBody(ctx.body), PARSER);
  rejectUnknownFields(body, PARSER, ["ids", "role_descriptors", "metadata", "expiration"]);
  const ids = optionalStringArray(body, "ids", PARSER);
  const metadata = optionalObject(body, "metadata", PARSER);
  const expirationMs = expirationOf(body, PARSER, false);
  const problems = [...metadataProblems(metadata)];
  const roleDescriptors = parseRoleDescriptors(ctx.state, body.role_descriptors, problems);
  if (ids === undefined) throw illegalArgument("Required [ids]");
  if (ids.length === 0) problems.push("Field [ids] cannot be empty");
  if (problems.length > 0) throw validationFailed(problems);
  requireAction(ctx.state, ctx.principal, ACTIONS.apiKeyBulkUpdate, true);
  requireOwnerUser(ctx.principal);
  requireRestrictionConstraints(roleDescriptors);

  const changes: KeyChanges = {};
  if (roleDescriptors !== undefined) changes.roleDescriptors = roleDescriptors;
  if (metadata !== undefined) changes.metadata = metadata;
  if (expirationMs !== undefined) changes.expirationMs = expirationMs;
  const updated: string[] = [];
  const noops: string[] = [];
  const details: JsonObject = {};
  for (const id of new Set(ids)) {
    try {
      const key = findUpdatableKey(ctx.state, ctx.principal, id, "rest");
      (applyKeyUpdate(ctx.state, ctx.principal, key, structuredClone(changes)) ? updated : noops).push(id);
    } catch (error) {
      if (!(error instanceof EsError)) throw error;
      details[id] = { type: error.type, reason: error.reason };
    }
  }
  const count = Object.keys(details).length;
  return json(200, { updated, noops, errors: count > 0 ? { count, details } : { count } });
}
