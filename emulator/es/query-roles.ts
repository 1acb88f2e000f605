// GET|POST /_security/_query/role (ES 8.15+): the query DSL of query-dsl.ts over the queryable role fields. From
// 8.18 the reserved roles are in the answer too (they carry metadata._reserved: true).
import { EmuResponse, json } from "../http-types";
import { Json, JsonObject, isObject } from "../json";
import { RoleDescriptor } from "../model";
import { ACTIONS, requireAction } from "../principal";
import { versionAtLeast } from "../versions";
import { EsContext } from "./context";
import { rejectUnknownFields, requireObject } from "./parse";
import { QueryFields, Scalar, fieldNotAllowed, matchesQuery, pageOf, parsePageRequest } from "./query-dsl";
import { renderRoleDescriptor } from "./role-descriptor";

const PARSER = "query_role_request_payload";
const APPLICATION_FIELDS = ["applications.application", "applications.resources", "applications.privileges"];

interface NamedRole {
  name: string;
  descriptor: RoleDescriptor;
}

function scalars(value: Json | undefined): Scalar[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap(scalars);
  return isObject(value) ? [] : [value];
}

const ROLE_FIELDS: QueryFields<NamedRole> = {
  check(field) {
    if (field === "name" || field === "description" || APPLICATION_FIELDS.includes(field)) return field;
    if (field.startsWith("metadata.")) return field;
    throw fieldNotAllowed(field);
  },
  read({ name, descriptor }, field) {
    if (field === "name") return [name];
    if (field === "description") return scalars(descriptor.description);
    if (APPLICATION_FIELDS.includes(field)) {
      const part = field.slice("applications.".length) as "application" | "resources" | "privileges";
      return descriptor.applications.flatMap((a) => scalars(a[part]));
    }
    let value: Json | undefined = descriptor.metadata;
    for (const key of field.slice("metadata.".length).split(".")) value = isObject(value) ? value[key] : undefined;
    return scalars(value);
  },
  id: (role) => role.name,
};

const BLANK_ROLE: NamedRole = {
  name: "",
  descriptor: { cluster: [], indices: [], applications: [], run_as: [], metadata: {}, transient_metadata: {} },
};

export function postQueryRoles(ctx: EsContext): EmuResponse {
  const body = ctx.body === undefined ? {} : requireObject(ctx.body, PARSER);
  rejectUnknownFields(body, PARSER, ["query", "from", "size", "sort", "search_after"]);
  const page = parsePageRequest(body, ROLE_FIELDS);
  // Evaluating once against a blank role validates fields and query types even when no role matches.
  matchesQuery(BLANK_ROLE, page.query, ROLE_FIELDS);
  requireAction(ctx.state, ctx.principal, ACTIONS.roleQuery);
  const withReserved = versionAtLeast(ctx.state.options.esVersion, 8, 18);
  const matched = [...ctx.state.roles]
    .filter(([name]) => withReserved || !ctx.state.isReservedRole(name))
    .map(([name, descriptor]) => ({ name, descriptor }))
    .filter((role) => matchesQuery(role, page.query, ROLE_FIELDS));
  const { total, items } = pageOf(matched, page, ROLE_FIELDS);
  const roles = items.map(({ record, sortValues }) => {
    const rendered: JsonObject = { name: record.name, ...renderRoleDescriptor(record.descriptor) };
    if (sortValues) rendered._sort = sortValues;
    return rendered;
  });
  return json(200, { total, count: roles.length, roles });
}
