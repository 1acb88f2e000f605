// Application privilege definitions (PUT|POST|GET|DELETE /_security/privilege…) and the built-in privilege lists
// (GET /_security/privilege/_builtin). Stored definitions feed the application-privilege checks (app-privileges.ts).
import { actionNameProblem, applicationNameProblem, privilegeNameProblem } from "../app-privileges";
import { EsRawError, illegalArgument, parseError, validationFailed } from "../errors";
import { globMatch } from "../glob";
import { EmuResponse, json } from "../http-types";
import { JsonObject, isObject, tokenName } from "../json";
import { ApplicationPrivilegeDefinition } from "../model";
import { ACTIONS, requireAction } from "../principal";
import { clusterPrivilegeNames, indexPrivilegeNames, remoteClusterPrivilegeNames } from "./builtin-privileges";
import { EsContext } from "./context";
import { optionalObject, optionalString, optionalStringArray, rejectUnknownFields, requireBody } from "./parse";

const PARSER = "application-privilege";

function parseDefinition(raw: JsonObject, application: string, name: string): ApplicationPrivilegeDefinition {
  rejectUnknownFields(raw, PARSER, ["application", "name", "actions", "metadata"]);
  const givenApplication = optionalString(raw, "application", PARSER) ?? application;
  const givenName = optionalString(raw, "name", PARSER) ?? name;
  if (givenApplication !== application) {
    throw illegalArgument(
      `privilege application [${givenApplication}] in source does not match the provided application [${application}]`,
    );
  }
  if (givenName !== name) {
    throw illegalArgument(`privilege name [${givenName}] in source does not match the provided name [${name}]`);
  }
  return {
    application,
    name,
    actions: optionalStringArray(raw, "actions", PARSER) ?? [],
    metadata: structuredClone(optionalObject(raw, "metadata", PARSER) ?? {}),
  };
}

/** The body is keyed by application, then by privilege name (PutPrivilegesRequestBuilder.source). */
function parseDefinitions(body: JsonObject): ApplicationPrivilegeDefinition[] {
  const definitions: ApplicationPrivilegeDefinition[] = [];
  for (const [application, byName] of Object.entries(body)) {
    if (!isObject(byName)) {
      throw parseError(`expected the value for ${application} to be an object, but found ${tokenName(byName)} instead`);
    }
    for (const [name, raw] of Object.entries(byName)) {
      if (!isObject(raw)) {
        throw parseError(`expected the value for ${application} to be an object, but found ${tokenName(raw)} instead`);
      }
      definitions.push(parseDefinition(raw, application, name));
    }
  }
  return definitions;
}

/** PutPrivilegesRequest.validate, in its order. */
function definitionProblems(definitions: ApplicationPrivilegeDefinition[]): string[] {
  if (definitions.length === 0) return ["At least one application privilege must be provided"];
  return definitions
    .flatMap((d) => [
      applicationNameProblem(d.application, false),
      privilegeNameProblem(d.name),
      d.actions.length === 0 ? "Application privileges must have at least one action" : undefined,
      ...d.actions.map(actionNameProblem),
      Object.keys(d.metadata).some((k) => k.startsWith("_"))
        ? `metadata keys may not start with [_] (in privilege ${d.application} ${d.name})`
        : undefined,
    ])
    .filter((p): p is string => p !== undefined);
}

export function putPrivileges(ctx: EsContext): EmuResponse {
  const body = requireBody(ctx.body);
  if (!isObject(body)) throw parseError(`expected object but found ${tokenName(body)} instead`);
  const definitions = parseDefinitions(body);
  const problems = definitionProblems(definitions);
  if (problems.length > 0) throw validationFailed(problems);
  requireAction(ctx.state, ctx.principal, ACTIONS.privilegePut);
  const out: JsonObject = {};
  for (const definition of definitions) {
    const stored = ctx.state.applicationPrivileges.get(definition.application) ?? new Map();
    ctx.state.applicationPrivileges.set(definition.application, stored);
    const byName = (out[definition.application] ?? {}) as JsonObject;
    byName[definition.name] = { created: !stored.has(definition.name) };
    out[definition.application] = byName;
    stored.set(definition.name, definition);
  }
  return json(200, out);
}

function requestedNames(param: string | undefined): string[] {
  return [...new Set((param ?? "").split(",").map((n) => n.trim()))].filter((n) => n !== "");
}

export function getPrivileges(ctx: EsContext): EmuResponse {
  requireAction(ctx.state, ctx.principal, ACTIONS.privilegeGet);
  const application = ctx.params.application ?? "";
  const names = requestedNames(ctx.params.name);
  const out: JsonObject = {};
  for (const [app, stored] of ctx.state.applicationPrivileges) {
    if (application !== "" && !globMatch(application, app)) continue;
    const byName: JsonObject = {};
    for (const [name, d] of stored) {
      if (names.length > 0 && !names.includes(name)) continue;
      byName[name] = { application: d.application, name: d.name, actions: [...d.actions], metadata: d.metadata };
    }
    if (Object.keys(byName).length > 0) out[app] = structuredClone(byName);
  }
  // Named privileges of which none exists: 404 with the (empty) answer (RestGetPrivilegesAction).
  if (names.length > 0 && Object.keys(out).length === 0) throw new EsRawError(404, {});
  return json(200, out);
}

export function deletePrivileges(ctx: EsContext): EmuResponse {
  requireAction(ctx.state, ctx.principal, ACTIONS.privilegeDelete);
  const application = ctx.params.application as string;
  const stored = ctx.state.applicationPrivileges.get(application);
  const byName: JsonObject = {};
  for (const name of requestedNames(ctx.params.name)) byName[name] = { found: stored?.delete(name) === true };
  const found = Object.values(byName).some((r) => isObject(r) && r.found === true);
  return json(found ? 200 : 404, { [application]: byName });
}

/** GET /_security/privilege/_builtin: the emulated version's names, sorted (builtin-privileges.ts). */
export function getBuiltinPrivileges(ctx: EsContext): EmuResponse {
  requireAction(ctx.state, ctx.principal, ACTIONS.builtinPrivilegesGet);
  const version = ctx.state.options.esVersion;
  const out: JsonObject = { cluster: clusterPrivilegeNames(version), index: indexPrivilegeNames(version) };
  const remote = remoteClusterPrivilegeNames(version);
  if (remote.length > 0) out.remote_cluster = remote;
  return json(200, out);
}
