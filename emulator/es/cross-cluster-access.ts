// Cross-cluster `access` (docs/elastic-api.md C.1, C.2): strict parsing, the DLS/FLS rules, the derived `cross_cluster`
// role descriptor, and the rendering GET returns (which round-trips through update as a no-op).
import { EsError, illegalArgument, xContentParseError } from "../errors";
import { Json, JsonObject, formatPosition, isObject, keyPosition, tokenName, valuePosition } from "../json";
import { CrossClusterAccess, CrossClusterEntry, RoleDescriptor } from "../model";
import { queryAsString, rejectUnknownFields } from "./parse";
import { versionAtLeast } from "../versions";

const ACCESS_PARSER = "cross_cluster_api_key_request_access";

function buildFailure(parser: string, reason: string): EsError {
  return xContentParseError(`Failed to build [${parser}] after last required field arrived`, {
    type: "illegal_argument_exception",
    reason,
  });
}

function parseEntries(owner: JsonObject, field: "search" | "replication"): CrossClusterEntry[] {
  const value = owner[field];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    throw xContentParseError(
      `${formatPosition(keyPosition(owner, field))} [${ACCESS_PARSER}] ${field} doesn't support values of type: ${tokenName(value)}`,
    );
  }
  return value.map((raw) => {
    if (!isObject(raw))
      throw xContentParseError(
        `${formatPosition(valuePosition(raw))} [${ACCESS_PARSER}] expected an object for [${field}]`,
      );
    return parseEntry(raw);
  });
}

function parseEntry(raw: JsonObject): CrossClusterEntry {
  // "privileges" is predefined for cross-cluster access; giving it is a parse error (C.1).
  rejectUnknownFields(raw, "cross_cluster_access_indices_privileges", [
    "names",
    "query",
    "field_security",
    "allow_restricted_indices",
  ]);
  const names = raw.names;
  if (names === undefined) throw illegalArgument("Required [names]");
  const list = typeof names === "string" ? [names] : names;
  if (!Array.isArray(list) || list.some((n) => typeof n !== "string")) {
    throw xContentParseError(
      `${formatPosition(keyPosition(raw, "names"))} [cross_cluster_access_indices_privileges] names doesn't support values of type: ${tokenName(names)}`,
    );
  }
  if (list.length === 0) throw illegalArgument("the [names] array cannot be empty");
  const entry: CrossClusterEntry = { names: list as string[], allow_restricted_indices: false };
  if (raw.query !== undefined && raw.query !== null) entry.query = queryAsString(raw.query);
  if (raw.field_security !== undefined && raw.field_security !== null) {
    if (!isObject(raw.field_security)) throw illegalArgument("[field_security] must be an object");
    entry.field_security = structuredClone(raw.field_security);
  }
  if (raw.allow_restricted_indices !== undefined) {
    if (typeof raw.allow_restricted_indices !== "boolean")
      throw illegalArgument("[allow_restricted_indices] must be a boolean");
    entry.allow_restricted_indices = raw.allow_restricted_indices;
  }
  return entry;
}

/** Parses and checks `access`; `parentParser` names the request parser in messages. */
export function parseAccess(parent: JsonObject, parentParser: string, esVersion: string): CrossClusterAccess {
  const value: Json | undefined = parent.access;
  if (value === null) {
    throw xContentParseError(
      `${formatPosition(keyPosition(parent, "access"))} [${parentParser}] access doesn't support values of type: VALUE_NULL`,
    );
  }
  if (!isObject(value)) {
    throw xContentParseError(
      `${formatPosition(keyPosition(parent, "access"))} [${parentParser}] access doesn't support values of type: ${tokenName(value)}`,
    );
  }
  rejectUnknownFields(value, ACCESS_PARSER, ["search", "replication"]);
  const search = parseEntries(value, "search");
  const replication = parseEntries(value, "replication");
  if (search.length === 0 && replication.length === 0) {
    throw buildFailure(ACCESS_PARSER, "must specify non-empty access for either [search] or [replication]");
  }
  if (replication.some((e) => e.query !== undefined || e.field_security !== undefined)) {
    throw buildFailure(ACCESS_PARSER, "replication does not support document or field level security");
  }
  // [ver] 8.14 added this rule; earlier versions store such a key.
  if (
    versionAtLeast(esVersion, 8, 14) &&
    replication.length > 0 &&
    search.some((e) => e.query !== undefined || e.field_security !== undefined)
  ) {
    throw buildFailure(
      ACCESS_PARSER,
      "search does not support document or field level security if replication is assigned",
    );
  }
  const access: CrossClusterAccess = {};
  if (search.length > 0) access.search = search;
  if (replication.length > 0) access.replication = replication;
  return access;
}

/** The single `cross_cluster` role descriptor ES derives from `access` (C.2). */
export function crossClusterDescriptor(access: CrossClusterAccess, esVersion: string): RoleDescriptor {
  const cluster: string[] = [];
  if (access.search)
    // [ver] monitor_enrich joined the search privileges in 8.15, for ES|QL ENRICH across clusters: a key made
    // before needs an update to get it (elastic/elasticsearch#108735; CrossClusterApiKeyRoleDescriptorBuilder.java).
    cluster.push("cross_cluster_search", ...(versionAtLeast(esVersion, 8, 15) ? ["monitor_enrich"] : []));
  if (access.replication) cluster.push("cross_cluster_replication");
  const indices = [
    ...(access.search ?? []).map((e) => ({
      names: [...e.names],
      privileges: ["read", "read_cross_cluster", "view_index_metadata"],
      ...(e.field_security ? { field_security: structuredClone(e.field_security) } : {}),
      ...(e.query !== undefined ? { query: e.query } : {}),
      allow_restricted_indices: e.allow_restricted_indices,
    })),
    ...(access.replication ?? []).map((e) => ({
      names: [...e.names],
      privileges: ["cross_cluster_replication", "cross_cluster_replication_internal"],
      allow_restricted_indices: e.allow_restricted_indices,
    })),
  ];
  return { cluster, indices, applications: [], run_as: [], metadata: {}, transient_metadata: { enabled: true } };
}

export function renderAccess(access: CrossClusterAccess): JsonObject {
  const render = (e: CrossClusterEntry): JsonObject => {
    const out: JsonObject = { names: [...e.names] };
    if (e.field_security) out.field_security = structuredClone(e.field_security);
    if (e.query !== undefined) out.query = e.query;
    out.allow_restricted_indices = e.allow_restricted_indices;
    return out;
  };
  const out: JsonObject = {};
  if (access.search?.length) out.search = access.search.map(render);
  if (access.replication?.length) out.replication = access.replication.map(render);
  return out;
}
