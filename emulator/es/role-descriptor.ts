// Role descriptor parsing and validation (docs/elastic-api.md D.1), shared by the role API and by API-key
// role_descriptors. Parse problems throw at once (parse_exception); rule violations are collected for one "Validation
// Failed".
import { applicationNameProblem, privilegeOrActionProblem } from "../app-privileges";
import { illegalArgument, parseError } from "../errors";
import { isKnownClusterPrivilege, isKnownIndexPrivilege } from "../cluster-privileges";
import { clusterPrivilegeNames, indexPrivilegeNames } from "./builtin-privileges";
import { Json, JsonObject, isObject, tokenName } from "../json";
import { ApplicationPrivilegeEntry, IndexPrivilegeEntry, RoleDescriptor } from "../model";
import { holdsAt } from "../versions";
import { queryAsString } from "./parse";
import { parseRestriction, restrictionProblems } from "./role-restriction";

const ROLE_FIELDS = [
  "cluster",
  "indices",
  "index",
  "applications",
  "application",
  "run_as",
  "metadata",
  "global",
  "remote_indices",
  "remote_cluster",
  "description",
  "transient_metadata",
];
const INDEX_FIELDS = ["names", "privileges", "field_security", "query", "allow_restricted_indices"];
const APPLICATION_FIELDS = ["application", "privileges", "resources"];

export interface ParsedRole {
  descriptor: RoleDescriptor;
  problems: string[];
}

function stringArray(value: Json | undefined, what: () => string): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === "string") return [value];
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    throw parseError(`${what()} but found [${tokenName(value)}] instead`);
  }
  return value as string[];
}

/** `allowRestriction`: API key descriptors accept `restriction` (ES 8.9+); roles never do. */
export function parseRoleDescriptor(
  name: string,
  body: JsonObject,
  esVersion: string,
  allowRestriction = false,
): ParsedRole {
  const problems: string[] = [];
  const fail = (detail: string) => parseError(`failed to parse role [${name}]. ${detail}`);
  // `description` is a role field from 8.15 (x-pack/plugin/core/.../authz/RoleDescriptor.java; elastic/elasticsearch#107088).
  const known = holdsAt(esVersion, [8, 15]) ? ROLE_FIELDS : ROLE_FIELDS.filter((f) => f !== "description");
  const fields = allowRestriction ? [...known, "restriction"] : known;
  for (const key of Object.keys(body)) if (!fields.includes(key)) throw fail(`unexpected field [${key}]`);

  const cluster = stringArray(
    body.cluster,
    () => `failed to parse role [${name}]. expected field [cluster] value to be an array of strings`,
  );
  const indices = arrayOfObjects(body.indices ?? body.index, fail, "indices").map((e) => parseIndexEntry(name, e));
  const applications = arrayOfObjects(body.applications ?? body.application, fail, "applications").map((e) =>
    parseApplicationEntry(name, e),
  );
  const run_as = stringArray(
    body.run_as,
    () => `failed to parse role [${name}]. expected field [run_as] value to be an array of strings`,
  );
  const metadata = body.metadata ?? {};
  if (!isObject(metadata))
    throw fail(`expected field [metadata] to be of type object, but found [${tokenName(metadata)}] instead`);
  if (body.description !== undefined && typeof body.description !== "string") {
    throw fail(`expected field [description] to be of type string, but found [${tokenName(body.description)}] instead`);
  }

  for (const privilege of cluster) {
    if (!isKnownClusterPrivilege(privilege, esVersion)) {
      problems.push(
        `unknown cluster privilege [${privilege}]. a privilege must be either one of the predefined cluster privilege names [${clusterPrivilegeNames(esVersion).join(",")}] or a pattern over one of the available cluster actions`,
      );
    }
  }
  for (const entry of indices) {
    for (const privilege of entry.privileges) {
      if (!isKnownIndexPrivilege(privilege, esVersion)) {
        problems.push(
          `unknown index privilege [${privilege}]. a privilege must be either one of the predefined fixed indices privileges [${indexPrivilegeNames(esVersion).join(",")}] or a pattern over one of the available index actions`,
        );
      }
    }
  }
  for (const entry of applications) problems.push(...applicationProblems(entry));
  if (Object.keys(metadata).some((k) => k.startsWith("_"))) problems.push("metadata keys may not start with [_]");
  const restriction = body.restriction === undefined ? undefined : parseRestriction(name, body.restriction);
  problems.push(...restrictionProblems(restriction));

  const descriptor: RoleDescriptor = {
    cluster,
    indices,
    applications,
    run_as,
    metadata: structuredClone(metadata),
    transient_metadata: { enabled: true },
  };
  if (body.global !== undefined && body.global !== null) descriptor.global = structuredClone(body.global);
  if (Array.isArray(body.remote_indices) && body.remote_indices.length > 0)
    descriptor.remote_indices = structuredClone(body.remote_indices);
  if (Array.isArray(body.remote_cluster) && body.remote_cluster.length > 0)
    descriptor.remote_cluster = structuredClone(body.remote_cluster);
  if (restriction) descriptor.restriction = restriction;
  if (typeof body.description === "string") descriptor.description = body.description;
  return { descriptor, problems };
}

function arrayOfObjects(value: Json | undefined, fail: (d: string) => Error, field: string): JsonObject[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  if (list.some((v) => !isObject(v))) throw fail(`expected field [${field}] value to be an array of objects`);
  return list as JsonObject[];
}

function parseIndexEntry(role: string, entry: JsonObject): IndexPrivilegeEntry {
  const fail = (detail: string) => parseError(`failed to parse indices privileges for role [${role}]. ${detail}`);
  for (const key of Object.keys(entry)) if (!INDEX_FIELDS.includes(key)) throw fail(`unexpected field [${key}]`);
  if (entry.names === undefined) throw fail("missing required [names] field");
  if (entry.privileges === undefined) throw fail("missing required [privileges] field");
  const names = stringArray(
    entry.names,
    () =>
      `failed to parse indices privileges for role [${role}]. expected field [names] value to be a string or an array of strings`,
  );
  const privileges = stringArray(
    entry.privileges,
    () =>
      `failed to parse indices privileges for role [${role}]. expected field [privileges] value to be an array of strings`,
  );
  const out: IndexPrivilegeEntry = { names, privileges, allow_restricted_indices: false };
  if (entry.field_security !== undefined && entry.field_security !== null) {
    if (!isObject(entry.field_security)) throw fail("expected field [field_security] to be an object");
    out.field_security = structuredClone(entry.field_security);
  }
  if (entry.query !== undefined && entry.query !== null) out.query = queryAsString(entry.query);
  if (entry.allow_restricted_indices !== undefined) {
    if (typeof entry.allow_restricted_indices !== "boolean")
      throw fail("expected field [allow_restricted_indices] to be a boolean");
    out.allow_restricted_indices = entry.allow_restricted_indices;
  }
  return out;
}

function parseApplicationEntry(role: string, entry: JsonObject): ApplicationPrivilegeEntry {
  const fail = (detail: string) => parseError(`failed to parse application privileges for role [${role}]. ${detail}`);
  for (const key of Object.keys(entry)) if (!APPLICATION_FIELDS.includes(key)) throw fail(`unexpected field [${key}]`);
  for (const key of APPLICATION_FIELDS)
    if (entry[key] === undefined || entry[key] === null) throw fail(`missing required [${key}] field`);
  if (typeof entry.application !== "string") throw fail("expected field [application] to be a string");
  return requireCompleteApplicationEntry({
    application: entry.application,
    privileges: stringArray(
      entry.privileges,
      () =>
        `failed to parse application privileges for role [${role}]. expected field [privileges] value to be an array of strings`,
    ),
    resources: stringArray(
      entry.resources,
      () =>
        `failed to parse application privileges for role [${role}]. expected field [resources] value to be an array of strings`,
    ),
  });
}

/** ES builds every application entry (roles, key descriptors, privilege checks) only when all three parts are set. */
export function requireCompleteApplicationEntry(entry: ApplicationPrivilegeEntry): ApplicationPrivilegeEntry {
  if (entry.application === "") throw illegalArgument("application privileges must have an application name");
  if (entry.privileges.length === 0) throw illegalArgument("application privileges must define at least one privilege");
  if (entry.resources.length === 0) throw illegalArgument("application privileges must refer to at least one resource");
  return entry;
}

/** D.1 application name and privilege-name rules. */
function applicationProblems(entry: ApplicationPrivilegeEntry): string[] {
  const nameProblem = applicationNameProblem(entry.application, true);
  return [
    ...(nameProblem ? [nameProblem] : []),
    ...entry.privileges.map(privilegeOrActionProblem).filter((p): p is string => p !== undefined),
  ];
}

/** D.2 output shape with the always-present fields first. */
export function renderRoleDescriptor(d: RoleDescriptor): JsonObject {
  const out: JsonObject = {
    cluster: [...d.cluster],
    indices: d.indices.map(renderIndexEntry),
    applications: d.applications.map((a) => ({
      application: a.application,
      privileges: [...a.privileges],
      resources: [...a.resources],
    })),
    run_as: [...d.run_as],
    metadata: structuredClone(d.metadata),
    transient_metadata: structuredClone(d.transient_metadata),
  };
  if (d.global !== undefined) out.global = structuredClone(d.global);
  if (d.remote_indices) out.remote_indices = structuredClone(d.remote_indices);
  if (d.remote_cluster) out.remote_cluster = structuredClone(d.remote_cluster);
  if (d.restriction) out.restriction = { workflows: [...d.restriction.workflows] };
  if (d.description !== undefined) out.description = d.description;
  return out;
}

export function renderIndexEntry(e: IndexPrivilegeEntry): JsonObject {
  const out: JsonObject = { names: [...e.names], privileges: [...e.privileges] };
  if (e.field_security) out.field_security = structuredClone(e.field_security);
  if (e.query !== undefined) out.query = e.query;
  out.allow_restricted_indices = e.allow_restricted_indices;
  return out;
}
