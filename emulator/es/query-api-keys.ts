// GET|POST /_security/_query/api_key (reference E.4, A.4; upstream api_key/20_query.yml): a subset of the query
// DSL over the documented API-key fields. manage_own_api_key callers only ever see their own keys.
import { EsError, illegalArgument } from "../errors";
import { EmuResponse, json } from "../http-types";
import { Json, JsonObject, isObject } from "../json";
import { ApiKey } from "../model";
import { ACTIONS, Principal, hasClusterPrivilege, principalUsername, requireAction } from "../principal";
import { EmulatorState } from "../state";
import { EsContext } from "./context";
import { renderApiKey } from "./get-api-keys";
import { rejectUnknownFields, requireObject } from "./parse";

const PARSER = "query_api_keys_request_payload";
const TOP_FIELDS = ["query", "from", "size", "sort", "search_after"];
const SCALAR_FIELDS = [
  "id",
  "type",
  "name",
  "creation",
  "expiration",
  "invalidated",
  "invalidation",
  "username",
  "realm_name",
];

type Scalar = string | number | boolean | null | undefined;

function fieldValue(key: ApiKey, field: string): Scalar {
  if (field.startsWith("metadata.")) {
    let value: Json | undefined = key.metadata;
    for (const part of field.slice("metadata.".length).split(".")) value = isObject(value) ? value[part] : undefined;
    return isObject(value) || Array.isArray(value) ? undefined : value;
  }
  switch (field) {
    case "id":
      return key.id;
    case "type":
      return key.type;
    case "name":
      return key.name;
    case "creation":
      return key.creation;
    case "expiration":
      return key.expiration;
    case "invalidated":
      return key.invalidated;
    case "invalidation":
      return key.invalidation;
    case "username":
      return key.owner.username;
    case "realm_name":
      return key.owner.realm.name;
  }
  throw illegalArgument(`Field [${field}] is not allowed for querying or aggregation`);
}

function checkField(field: string): string {
  if (!SCALAR_FIELDS.includes(field) && !field.startsWith("metadata.")) {
    throw illegalArgument(`Field [${field}] is not allowed for querying or aggregation`);
  }
  return field;
}

/** `{field: value}` or `{field: {value: v}}` (the short and long forms of term-level queries). */
function singleField(body: Json | undefined, valueKey: string): [string, Json] {
  if (!isObject(body) || Object.keys(body).length !== 1) throw illegalArgument("query must name exactly one field");
  const [field, raw] = Object.entries(body)[0] as [string, Json];
  return [checkField(field), isObject(raw) ? (raw[valueKey] ?? null) : raw];
}

function wildcardToRegExp(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .split("")
      .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\/]/g, "\\$&")))
      .join("")}$`,
    "s",
  );
}

function asList(value: Json | undefined): JsonObject[] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.filter(isObject);
}

export function matchesQuery(key: ApiKey, query: JsonObject): boolean {
  const [type, body] = (Object.entries(query)[0] ?? ["match_all", {}]) as [string, Json];
  switch (type) {
    case "match_all":
      return true;
    case "bool": {
      if (!isObject(body)) throw illegalArgument("[bool] must be an object");
      const must = [...asList(body.must), ...asList(body.filter)];
      const should = asList(body.should);
      const mustNot = asList(body.must_not);
      const minimumShould =
        typeof body.minimum_should_match === "number"
          ? body.minimum_should_match
          : must.length > 0
            ? 0
            : should.length > 0
              ? 1
              : 0;
      // Every clause is evaluated (no short-circuit) so that validation reaches all of them.
      const mustOk = must.map((q) => matchesQuery(key, q));
      const mustNotHit = mustNot.map((q) => matchesQuery(key, q));
      const shouldHits = should.map((q) => matchesQuery(key, q)).filter(Boolean).length;
      return mustOk.every(Boolean) && !mustNotHit.some(Boolean) && shouldHits >= minimumShould;
    }
    case "term":
    case "match": {
      const [field, value] = singleField(body, type === "term" ? "value" : "query");
      return fieldValue(key, field) === value;
    }
    case "terms": {
      if (!isObject(body)) throw illegalArgument("[terms] must be an object");
      const [field, values] = Object.entries(body)[0] as [string, Json];
      const actual = fieldValue(key, checkField(field));
      return Array.isArray(values) && values.some((v) => v === actual);
    }
    case "prefix": {
      const [field, value] = singleField(body, "value");
      const actual = fieldValue(key, field);
      return typeof actual === "string" && actual.startsWith(String(value));
    }
    case "wildcard": {
      const [field, value] = singleField(body, "value");
      const actual = fieldValue(key, field);
      return typeof actual === "string" && wildcardToRegExp(String(value)).test(actual);
    }
    case "ids":
      return isObject(body) && Array.isArray(body.values) && body.values.includes(key.id);
    case "exists": {
      const field = isObject(body) && typeof body.field === "string" ? checkField(body.field) : "";
      const actual = fieldValue(key, field);
      return actual !== undefined && actual !== null;
    }
    case "range": {
      if (!isObject(body)) throw illegalArgument("[range] must be an object");
      const [field, bounds] = Object.entries(body)[0] as [string, Json];
      const actual = fieldValue(key, checkField(field));
      if (typeof actual !== "number" && typeof actual !== "string") return false;
      const b = isObject(bounds) ? bounds : {};
      const cmp = (bound: Json | undefined, ok: (a: number | string, v: number | string) => boolean) =>
        bound === undefined || ((typeof bound === "number" || typeof bound === "string") && ok(actual, bound));
      return (
        cmp(b.gt, (a, v) => a > v) &&
        cmp(b.gte, (a, v) => a >= v) &&
        cmp(b.lt, (a, v) => a < v) &&
        cmp(b.lte, (a, v) => a <= v)
      );
    }
    default:
      throw illegalArgument(`Query type [${type}] is not currently supported in this context`);
  }
}

const BLANK_KEY: ApiKey = {
  id: "",
  name: "",
  type: "rest",
  secretHash: "",
  creation: 0,
  invalidated: false,
  owner: { username: "", realm: { name: "", type: "" }, full_name: null, email: null, metadata: {} },
  metadata: {},
  metadataGiven: false,
  role_descriptors: {},
  limited_by: {},
  version: 0,
};

type SortSpec = { field: string; order: "asc" | "desc" };

function parseSort(value: Json | undefined): SortSpec[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((entry) => {
    if (typeof entry === "string") return { field: checkField(entry), order: "asc" as const };
    if (isObject(entry)) {
      const [field, spec] = Object.entries(entry)[0] as [string, Json];
      const order = typeof spec === "string" ? spec : isObject(spec) ? spec.order : "asc";
      return { field: checkField(field), order: order === "desc" ? ("desc" as const) : ("asc" as const) };
    }
    throw illegalArgument("[sort] entries must be field names or objects");
  });
}

/** Runs a query as `principal`; used by the route and, in-process, by Kibana's APM list. */
export function queryApiKeys(
  state: EmulatorState,
  principal: Principal,
  bodyJson: Json | undefined,
  withLimitedBy = false,
): JsonObject {
  const body = bodyJson === undefined ? {} : requireObject(bodyJson, PARSER);
  rejectUnknownFields(body, PARSER, TOP_FIELDS);
  const query = body.query === undefined ? { match_all: {} } : body.query;
  if (!isObject(query)) throw new EsError(400, "parsing_exception", "[query] must be an object");
  const from = typeof body.from === "number" ? body.from : 0;
  const size = typeof body.size === "number" ? body.size : 10;
  const sort = parseSort(body.sort);
  // Evaluating once against a blank key validates fields and query types even when no key exists.
  matchesQuery(BLANK_KEY, query);
  requireAction(state, principal, ACTIONS.apiKeyQuery);
  // Without manage_api_key or read_security the query is filtered to the caller's own keys.
  const ownOnly =
    !hasClusterPrivilege(state, principal, "manage_api_key") && !hasClusterPrivilege(state, principal, "read_security");
  const username = principalUsername(principal);
  const matched = [...state.apiKeys.values()]
    .filter((k) => !ownOnly || k.owner.username === username)
    .filter((k) => matchesQuery(k, query));
  if (sort.length > 0) {
    matched.sort((a, b) => {
      for (const { field, order } of sort) {
        const x = fieldValue(a, field) ?? "";
        const y = fieldValue(b, field) ?? "";
        if (x !== y) return (x < y ? -1 : 1) * (order === "desc" ? -1 : 1);
      }
      return 0;
    });
  }
  const page = matched.slice(from, from + size).map((k) => {
    const rendered = renderApiKey(k, withLimitedBy);
    if (sort.length > 0) rendered._sort = sort.map(({ field }) => (fieldValue(k, field) ?? null) as Json);
    return rendered;
  });
  return { total: matched.length, count: page.length, api_keys: page };
}

export function postQueryApiKeys(ctx: EsContext): EmuResponse {
  const withLimitedBy = ctx.req.query.get("with_limited_by") === "true";
  return json(200, queryApiKeys(ctx.state, ctx.principal, ctx.body, withLimitedBy));
}
