// GET /_security/user/_privileges (security.get_user_privileges): the caller's own privileges, for any authenticated
// user. Shapes and merging follow elastic/elasticsearch GetUserPrivilegesResponse.java and the YAML test
// x-pack/plugin/src/yamlRestTest/resources/rest-api-spec/test/privileges/40_get_user_privs.yml: the roles' cluster
// privileges and run_as sorted into one list; one `global` entry per configurable privilege; index entries with the
// same names, privileges and restricted-index flag merged, their field security and queries listed; application
// entries merged by resources, then by privileges. An API key with role descriptors of its own is refused
// (RBACEngine.getUserPrivileges); a key without them has its owner's privileges as they were at creation.
import { illegalArgument } from "../errors";
import { EmuResponse, json } from "../http-types";
import { Json, JsonObject, canonicalJson, isObject } from "../json";
import { ApplicationPrivilegeEntry, IndexPrivilegeEntry, RoleDescriptor } from "../model";
import { EsContext } from "./context";

const API_KEY_REFUSAL =
  "Cannot retrieve privileges for API keys with assigned role descriptors. Please use the Get API key information API https://ela.st/es-api-get-api-key";

function callerDescriptors(ctx: EsContext): RoleDescriptor[] {
  const p = ctx.principal;
  if (p.kind === "api_key") {
    if (Object.keys(p.key.role_descriptors).length > 0) throw illegalArgument(API_KEY_REFUSAL);
    return Object.values(p.key.limited_by);
  }
  return p.user.roles.map((r) => ctx.state.roles.get(r)).filter((d): d is RoleDescriptor => d !== undefined);
}

const sortedUnion = (lists: string[][]): string[] => [...new Set(lists.flat())].sort();
const pushUnique = (into: string[], values: string[]) => into.push(...values.filter((v) => !into.includes(v)));

/** `{"application": {"manage": {...}}}` on a role becomes one entry per configurable privilege. */
function globalEntries(descriptors: RoleDescriptor[]): Json[] {
  const out: Json[] = [];
  for (const d of descriptors) {
    if (!isObject(d.global)) continue;
    for (const [category, privileges] of Object.entries(d.global)) {
      if (!isObject(privileges)) continue;
      for (const [name, value] of Object.entries(privileges)) {
        const entry: JsonObject = { [category]: { [name]: structuredClone(value) } };
        if (!out.some((e) => canonicalJson(e) === canonicalJson(entry))) out.push(entry);
      }
    }
  }
  return out;
}

function indexEntries(entries: IndexPrivilegeEntry[]): JsonObject[] {
  const groups = new Map<string, { entry: IndexPrivilegeEntry; fls: Json[]; dls: string[] }>();
  for (const e of entries) {
    const key = JSON.stringify([[...e.names].sort(), [...e.privileges].sort(), e.allow_restricted_indices]);
    const group = groups.get(key) ?? { entry: e, fls: [], dls: [] };
    groups.set(key, group);
    if (e.field_security && !group.fls.some((f) => canonicalJson(f) === canonicalJson(e.field_security as Json)))
      group.fls.push(structuredClone(e.field_security));
    if (e.query !== undefined && !group.dls.includes(e.query)) group.dls.push(e.query);
  }
  return [...groups.values()].map(({ entry, fls, dls }) => ({
    names: [...entry.names],
    privileges: [...entry.privileges],
    ...(fls.length > 0 ? { field_security: fls } : {}),
    ...(dls.length > 0 ? { query: dls } : {}),
    allow_restricted_indices: entry.allow_restricted_indices,
  }));
}

/** Merge entries that share an application and resources, then those that share an application and privileges. */
function applicationEntries(entries: ApplicationPrivilegeEntry[]): JsonObject[] {
  const merge = (
    list: ApplicationPrivilegeEntry[],
    keyOf: (e: ApplicationPrivilegeEntry) => string[],
    by: "privileges" | "resources",
  ) => {
    const groups = new Map<string, ApplicationPrivilegeEntry>();
    for (const e of list) {
      const key = JSON.stringify([e.application, [...keyOf(e)].sort()]);
      const group = groups.get(key);
      if (group) pushUnique(group[by], e[by]);
      else groups.set(key, { application: e.application, privileges: [...e.privileges], resources: [...e.resources] });
    }
    return [...groups.values()];
  };
  const byResources = merge(entries, (e) => e.resources, "privileges");
  return merge(byResources, (e) => e.privileges, "resources").map((e) => ({ ...e }));
}

export function getUserPrivileges(ctx: EsContext): EmuResponse {
  const descriptors = callerDescriptors(ctx);
  const out: JsonObject = {
    cluster: sortedUnion(descriptors.map((d) => d.cluster)),
    global: globalEntries(descriptors),
    indices: indexEntries(descriptors.flatMap((d) => d.indices)),
    applications: applicationEntries(descriptors.flatMap((d) => d.applications)),
    run_as: sortedUnion(descriptors.map((d) => d.run_as)),
  };
  const remoteIndices = descriptors.flatMap((d) => d.remote_indices ?? []);
  if (remoteIndices.length > 0) out.remote_indices = structuredClone(remoteIndices);
  const remoteCluster = descriptors.flatMap((d) => d.remote_cluster ?? []);
  if (remoteCluster.length > 0) out.remote_cluster = structuredClone(remoteCluster);
  return json(200, out);
}
