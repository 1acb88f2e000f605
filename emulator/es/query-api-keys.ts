// GET|POST /_security/_query/api_key (docs/elastic-api.md E.4, A.4; upstream api_key/20_query.yml): the query DSL
// subset of query-dsl.ts over the documented API-key fields. manage_own_api_key callers only ever see their own keys.
import { EmuResponse, json } from "../http-types";
import { Json, JsonObject, isObject } from "../json";
import { ApiKey } from "../model";
import { ACTIONS, Principal, hasClusterPrivilege, principalUsername, requireAction } from "../principal";
import { EmulatorState } from "../state";
import { EsContext } from "./context";
import { renderApiKey } from "./get-api-keys";
import { rejectUnknownFields, requireObject } from "./parse";
import { QueryFields, Scalar, fieldNotAllowed, matchesQuery, pageOf, parsePageRequest } from "./query-dsl";

const PARSER = "query_api_keys_request_payload";
const TOP_FIELDS = ["query", "from", "size", "sort", "search_after"];
const SCALAR_FIELDS: Record<string, (key: ApiKey) => Scalar | undefined> = {
  id: (k) => k.id,
  type: (k) => k.type,
  name: (k) => k.name,
  creation: (k) => k.creation,
  expiration: (k) => k.expiration,
  invalidated: (k) => k.invalidated,
  invalidation: (k) => k.invalidation,
  username: (k) => k.owner.username,
  realm_name: (k) => k.owner.realm.name,
};

const API_KEY_FIELDS: QueryFields<ApiKey> = {
  check(field) {
    if (!(field in SCALAR_FIELDS) && !field.startsWith("metadata.")) throw fieldNotAllowed(field);
    return field;
  },
  read(key, field) {
    if (field.startsWith("metadata.")) {
      let value: Json | undefined = key.metadata;
      for (const part of field.slice("metadata.".length).split(".")) value = isObject(value) ? value[part] : undefined;
      return value === undefined || isObject(value) || Array.isArray(value) ? [] : [value];
    }
    const value = SCALAR_FIELDS[field]?.(key);
    return value === undefined ? [] : [value];
  },
  id: (key) => key.id,
};

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

/** Runs a query as `principal`; used by the route and, in-process, by Kibana's APM list. */
export function queryApiKeys(
  state: EmulatorState,
  principal: Principal,
  bodyJson: Json | undefined,
  withLimitedBy = false,
): JsonObject {
  const body = bodyJson === undefined ? {} : requireObject(bodyJson, PARSER);
  rejectUnknownFields(body, PARSER, TOP_FIELDS);
  const page = parsePageRequest(body, API_KEY_FIELDS);
  const fields: QueryFields<ApiKey> = { ...API_KEY_FIELDS, now: () => state.now() };
  // Evaluating once against a blank key validates fields and query types even when no key exists.
  matchesQuery(BLANK_KEY, page.query, fields);
  requireAction(state, principal, ACTIONS.apiKeyQuery);
  // Without manage_api_key or read_security the query is filtered to the caller's own keys.
  const ownOnly =
    !hasClusterPrivilege(state, principal, "manage_api_key") && !hasClusterPrivilege(state, principal, "read_security");
  const username = principalUsername(principal);
  const matched = [...state.apiKeys.values()]
    .filter((k) => !ownOnly || k.owner.username === username)
    .filter((k) => matchesQuery(k, page.query, fields));
  const { total, items } = pageOf(matched, page, API_KEY_FIELDS);
  const apiKeys = items.map(({ record, sortValues }) => {
    const rendered = renderApiKey(record, withLimitedBy);
    if (sortValues) rendered._sort = sortValues;
    return rendered;
  });
  return { total, count: apiKeys.length, api_keys: apiKeys };
}

export function postQueryApiKeys(ctx: EsContext): EmuResponse {
  const withLimitedBy = ctx.req.query.get("with_limited_by") === "true";
  return json(200, queryApiKeys(ctx.state, ctx.principal, ctx.body, withLimitedBy));
}
