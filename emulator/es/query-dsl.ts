// The query DSL subset of the security query APIs (_query/api_key, _query/role; upstream api_key/20_query.yml,
// roles/60_bulk_roles.yml): match_all, bool, term, terms, match, prefix, wildcard, ids, exists, range over an
// allowlist of fields; then from/size, sort with _sort values, and search_after as an ordinary search runs them.
import { EsError, illegalArgument, validationFailed } from "../errors";
import { Json, JsonObject, isObject } from "../json";

export type Scalar = string | number | boolean | null;

/** How a query API sees its records: which fields may be queried and what a record holds in each. */
export interface QueryFields<T> {
  /** Throws ES's refusal for a field outside the allowlist; returns the field otherwise. */
  check(field: string): string;
  /** The record's values for an allowed field (empty when it has none). */
  read(record: T, field: string): Scalar[];
  /** The id the `ids` query matches. */
  id(record: T): string;
  /** The server's now (epoch ms), for date math such as `now-25d` in a range over a date field. */
  now?(): number;
}

const DATE_MATH_UNIT_MS: Record<string, number> = { s: 1e3, m: 60e3, h: 3600e3, H: 3600e3, d: 86400e3, w: 7 * 86400e3 };

/**
 * Date math anchored at `now` (`now`, `now-25d`, `now+1h-30m`), resolved with the server's clock as Elasticsearch
 * does in a range over a date field (DateMathParser in elasticsearch's server module, 7.x+). Calendar units (y, M)
 * and rounding (`/d`) are not modelled: a bound using them is refused rather than misread.
 */
function resolveDateMath(bound: Json | undefined, now: (() => number) | undefined): Json | undefined {
  if (typeof bound !== "string" || !bound.startsWith("now") || !now) return bound;
  let at = now();
  const rest = bound.slice(3);
  const step = /([+-])(\d+)([smhHdw])/y;
  let pos = 0;
  while (pos < rest.length) {
    step.lastIndex = pos;
    const m = step.exec(rest);
    if (!m) throw illegalArgument(`failed to parse date field [${bound}] (the emulator models +/- s, m, h, d, w only)`);
    at += (m[1] === "-" ? -1 : 1) * Number(m[2]) * DATE_MATH_UNIT_MS[m[3]];
    pos = step.lastIndex;
  }
  return at;
}

export function fieldNotAllowed(field: string): EsError {
  return illegalArgument(`Field [${field}] is not allowed for querying or aggregation`);
}

/** `{field: value}` or `{field: {value: v}}` (the short and long forms of term-level queries). */
function singleField(body: Json | undefined, valueKey: string): [string, Json] {
  if (!isObject(body) || Object.keys(body).length !== 1) throw illegalArgument("query must name exactly one field");
  const [field, raw] = Object.entries(body)[0] as [string, Json];
  return [field, isObject(raw) ? (raw[valueKey] ?? null) : raw];
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

type Bound = number | string;

function inRange(actual: Scalar, raw: JsonObject, now: (() => number) | undefined): boolean {
  if (typeof actual !== "number" && typeof actual !== "string") return false;
  const bounds = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, resolveDateMath(v, now)]));
  const cmp = (bound: Json | undefined, ok: (a: Bound, v: Bound) => boolean) =>
    bound === undefined || ((typeof bound === "number" || typeof bound === "string") && ok(actual, bound));
  return (
    cmp(bounds.gt, (a, v) => a > v) &&
    cmp(bounds.gte, (a, v) => a >= v) &&
    cmp(bounds.lt, (a, v) => a < v) &&
    cmp(bounds.lte, (a, v) => a <= v)
  );
}

export function matchesQuery<T>(record: T, query: JsonObject, fields: QueryFields<T>): boolean {
  const [type, body] = (Object.entries(query)[0] ?? ["match_all", {}]) as [string, Json];
  const values = (field: string) => fields.read(record, fields.check(field));
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
      const mustOk = must.map((q) => matchesQuery(record, q, fields));
      const mustNotHit = mustNot.map((q) => matchesQuery(record, q, fields));
      const shouldHits = should.map((q) => matchesQuery(record, q, fields)).filter(Boolean).length;
      return mustOk.every(Boolean) && !mustNotHit.some(Boolean) && shouldHits >= minimumShould;
    }
    case "term":
    case "match": {
      const [field, value] = singleField(body, type === "term" ? "value" : "query");
      return values(field).some((v) => v === value);
    }
    case "terms": {
      if (!isObject(body)) throw illegalArgument("[terms] must be an object");
      const [field, wanted] = Object.entries(body)[0] as [string, Json];
      const actual = values(field);
      return Array.isArray(wanted) && wanted.some((w) => actual.includes(w as Scalar));
    }
    case "prefix": {
      const [field, value] = singleField(body, "value");
      return values(field).some((v) => typeof v === "string" && v.startsWith(String(value)));
    }
    case "wildcard": {
      const [field, value] = singleField(body, "value");
      const re = wildcardToRegExp(String(value));
      return values(field).some((v) => typeof v === "string" && re.test(v));
    }
    case "ids":
      return isObject(body) && Array.isArray(body.values) && body.values.includes(fields.id(record));
    case "exists": {
      const field = isObject(body) && typeof body.field === "string" ? body.field : "";
      return values(field).some((v) => v !== null);
    }
    case "range": {
      if (!isObject(body)) throw illegalArgument("[range] must be an object");
      const [field, bounds] = Object.entries(body)[0] as [string, Json];
      return values(field).some((v) => inRange(v, isObject(bounds) ? bounds : {}, fields.now?.bind(fields)));
    }
    default:
      throw illegalArgument(`Query type [${type}] is not currently supported in this context`);
  }
}

type SortSpec = { field: string; order: "asc" | "desc" };

export interface PageRequest {
  query: JsonObject;
  from: number;
  size: number;
  sort: SortSpec[];
  searchAfter?: Json[];
}

function parseSort<T>(value: Json | undefined, fields: QueryFields<T>): SortSpec[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((entry) => {
    if (typeof entry === "string") return { field: fields.check(entry), order: "asc" as const };
    if (isObject(entry)) {
      const [field, spec] = Object.entries(entry)[0] as [string, Json];
      const order = typeof spec === "string" ? spec : isObject(spec) ? spec.order : "asc";
      return { field: fields.check(field), order: order === "desc" ? ("desc" as const) : ("asc" as const) };
    }
    throw illegalArgument("malformed sort object");
  });
}

/** A failure of the underlying search: reported as search_phase_execution_exception around the shard's cause. */
function searchFailure(type: string, reason: string): EsError {
  return new EsError(400, "search_phase_execution_exception", "all shards failed", {
    rootCause: { type, reason },
    causedBy: { type, reason },
  });
}

/** Reads query, from, size, sort and search_after from a query API body, with ES's refusals. */
export function parsePageRequest<T>(body: JsonObject, fields: QueryFields<T>): PageRequest {
  const query = body.query === undefined ? { match_all: {} } : body.query;
  if (!isObject(query)) throw new EsError(400, "parsing_exception", "[query] must be an object");
  const from = typeof body.from === "number" ? body.from : 0;
  const size = typeof body.size === "number" ? body.size : 10;
  const problems: string[] = [];
  if (from < 0) problems.push(`[from] parameter cannot be negative but was [${from}]`);
  if (size < 0) problems.push(`[size] parameter cannot be negative but was [${size}]`);
  if (problems.length > 0) throw validationFailed(problems);
  const page: PageRequest = { query, from, size, sort: parseSort(body.sort, fields) };
  if (body.search_after !== undefined) {
    if (!Array.isArray(body.search_after)) throw illegalArgument("[search_after] must be an array");
    page.searchAfter = body.search_after;
  }
  return page;
}

function compareValues(a: Json, b: Json): number {
  if (a === b) return 0;
  // Missing values sort last, whatever the order.
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  if (typeof a === "number" && typeof b === "number") return a < b ? -1 : 1;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

function compareSortValues(a: Json[], b: Json[], sort: SortSpec[]): number {
  for (let i = 0; i < sort.length; i++) {
    const c = compareValues(a[i] ?? null, b[i] ?? null);
    if (c !== 0) return sort[i]?.order === "desc" && a[i] !== null && b[i] !== null ? -c : c;
  }
  return 0;
}

/** One page of `records` (already filtered by the query): sorted, after search_after, from/size applied. */
export function pageOf<T>(
  records: T[],
  page: PageRequest,
  fields: QueryFields<T>,
): { total: number; items: Array<{ record: T; sortValues?: Json[] }> } {
  const sortValuesOf = (r: T): Json[] =>
    page.sort.map(({ field, order }) => {
      const values = fields.read(r, field).filter((v) => v !== null);
      if (values.length === 0) return null;
      return [...values].sort(compareValues)[order === "desc" ? values.length - 1 : 0] as Json;
    });
  const rows = records.map((record) => ({ record, sortValues: sortValuesOf(record) }));
  if (page.sort.length > 0) rows.sort((a, b) => compareSortValues(a.sortValues, b.sortValues, page.sort));
  let selected = rows;
  if (page.searchAfter !== undefined) {
    if (page.sort.length === 0)
      throw searchFailure("illegal_argument_exception", "Sort must contain at least one field.");
    if (page.searchAfter.length !== page.sort.length) {
      throw searchFailure(
        "illegal_argument_exception",
        `search_after has ${page.searchAfter.length} value(s) but sort has ${page.sort.length}.`,
      );
    }
    if (page.from > 0) {
      throw searchFailure("search_exception", "`from` parameter must be set to 0 when `search_after` is used.");
    }
    const after = page.searchAfter;
    selected = rows.filter((row) => compareSortValues(row.sortValues, after, page.sort) > 0);
  }
  const items = selected
    .slice(page.from, page.from + page.size)
    .map(({ record, sortValues }) => (page.sort.length > 0 ? { record, sortValues } : { record }));
  return { total: records.length, items };
}
