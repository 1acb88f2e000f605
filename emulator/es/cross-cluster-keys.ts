// Cross-cluster API keys (docs/elastic-api.md C): create (C.1) and update (C.4). Both need manage_security and a
// non-API-key credential.
import { illegalArgument, validationFailed } from "../errors";
import { EmuResponse, json } from "../http-types";
import { ACTIONS, requireAction } from "../principal";
import { versionAtLeast } from "../versions";
import { apiKeyNameProblems, expirationOf, issueApiKey, metadataProblems } from "./api-key-rules";
import { EsContext } from "./context";
import { crossClusterDescriptor, parseAccess } from "./cross-cluster-access";
import { optionalObject, optionalString, rejectUnknownFields, requireBody, requireObject } from "./parse";
import { KeyChanges, applyKeyUpdate, findUpdatableKey } from "./rest-api-keys";

const CREATE_PARSER = "cross_cluster_api_key_request";
const UPDATE_PARSER = "update_cross_cluster_api_key_request";

export function postCrossClusterApiKey(ctx: EsContext): EmuResponse {
  const body = requireObject(requireBody(ctx.body), CREATE_PARSER);
  rejectUnknownFields(body, CREATE_PARSER, ["name", "access", "expiration", "metadata"]);
  const name = optionalString(body, "name", CREATE_PARSER);
  const access = body.access === undefined ? undefined : parseAccess(body, CREATE_PARSER, ctx.state.options.esVersion);
  const expirationMs = expirationOf(body, CREATE_PARSER, true);
  const metadata = optionalObject(body, "metadata", CREATE_PARSER);
  const missing = [...(body.name === undefined ? ["name"] : []), ...(access === undefined ? ["access"] : [])];
  if (missing.length > 0) throw illegalArgument(`Required [${missing.join(", ")}]`);
  const problems = [...apiKeyNameProblems(name), ...metadataProblems(metadata)];
  if (problems.length > 0) throw validationFailed(problems);
  requireAction(ctx.state, ctx.principal, ACTIONS.crossClusterCreate);
  if (ctx.principal.kind === "api_key") {
    throw illegalArgument(
      "authentication via API key not supported: An API key cannot be used to create a cross-cluster API key",
    );
  }
  const descriptor = crossClusterDescriptor(access as NonNullable<typeof access>, ctx.state.options.esVersion);
  const { response } = issueApiKey(ctx.state, ctx.principal, {
    name: name as string,
    type: "cross_cluster",
    expirationMs,
    metadata,
    roleDescriptors: { cross_cluster: descriptor },
    access,
  });
  ctx.req.objects.push(response.id as string);
  return json(200, response);
}

export function putCrossClusterApiKey(ctx: EsContext): EmuResponse {
  const body = requireObject(requireBody(ctx.body), UPDATE_PARSER);
  rejectUnknownFields(body, UPDATE_PARSER, ["access", "metadata", "expiration"]);
  const access = body.access === undefined ? undefined : parseAccess(body, UPDATE_PARSER, ctx.state.options.esVersion);
  const metadata = optionalObject(body, "metadata", UPDATE_PARSER);
  const expirationMs = expirationOf(body, UPDATE_PARSER, true);
  const problems = [...metadataProblems(metadata)];
  // C.4: expiration alone is not an update of a cross-cluster key.
  if (access === undefined && metadata === undefined) {
    problems.push(
      versionAtLeast(ctx.state.options.esVersion, 9, 3)
        ? "must update  [access] or [metadata] or [certificate_identity] for cross-cluster API keys"
        : "must update either [access] or [metadata] for cross-cluster API keys",
    );
  }
  if (problems.length > 0) throw validationFailed(problems);
  requireAction(ctx.state, ctx.principal, ACTIONS.crossClusterUpdate);
  const key = findUpdatableKey(ctx.state, ctx.principal, ctx.params.id as string, "cross_cluster");
  const changes: KeyChanges = {};
  if (access !== undefined) {
    changes.access = access;
    changes.roleDescriptors = { cross_cluster: crossClusterDescriptor(access, ctx.state.options.esVersion) };
  }
  if (metadata !== undefined) changes.metadata = metadata;
  // Elasticsearch 8.13+ (UPDATE_API_KEY_EXPIRATION_TIME_ADDED in TransportVersions, after V_8_12_0): every modelled
  // version. Owner-only, as every update (findUpdatableKey). A key set to expire is logged as one it retires.
  if (expirationMs !== undefined) {
    changes.expirationMs = expirationMs;
    ctx.req.objects.push(key.id);
  }
  return json(200, { updated: applyKeyUpdate(ctx.state, ctx.principal, key, changes) });
}
