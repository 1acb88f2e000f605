// What ES refuses in a role's document-level-security query when the role is stored (docs/elastic-api.md D.1): queries
// that need another document at search time (terms lookup, indexed shapes, parent/child, percolate). Template queries
// are checked only when they run, so they pass here.
import { EsError } from "../errors";
import { Json, JsonObject, isObject, parseJson, tokenName } from "../json";
import { IndexPrivilegeEntry } from "../model";

const COMPOUND_CLAUSES: Record<string, string[]> = {
  bool: ["must", "filter", "should", "must_not"],
  dis_max: ["queries"],
  constant_score: ["filter"],
  boosting: ["positive", "negative"],
  function_score: ["query"],
  nested: ["query"],
};

function refusedQuery(query: Json | undefined): string | undefined {
  if (!isObject(query)) return undefined;
  for (const [type, body] of Object.entries(query)) {
    if (type === "percolate" || type === "has_child" || type === "has_parent") {
      return `${type} query isn't supported as part of a role query`;
    }
    if (!isObject(body)) continue;
    const fieldValues = Object.entries(body).filter(([k]) => k !== "boost" && k !== "_name");
    if (type === "terms" && fieldValues.some(([, v]) => isObject(v))) {
      return "terms query with terms lookup isn't supported as part of a role query";
    }
    if (type === "geo_shape" && fieldValues.some(([, v]) => isObject(v) && v.indexed_shape !== undefined)) {
      return "geoshape query referring to indexed shapes isn't supported as part of a role query";
    }
    for (const clause of COMPOUND_CLAUSES[type] ?? []) {
      const inner = body[clause];
      for (const q of Array.isArray(inner) ? inner : [inner]) {
        const problem = refusedQuery(q);
        if (problem) return problem;
      }
    }
  }
  return undefined;
}

function queryProblem(text: string): { type: string; reason: string } | undefined {
  let query: Json;
  try {
    query = parseJson(text);
  } catch (error) {
    return { type: "x_content_parse_exception", reason: error instanceof Error ? error.message : String(error) };
  }
  if (!isObject(query)) {
    return {
      type: "x_content_parse_exception",
      reason: `[1:1] expected [START_OBJECT] but found [${tokenName(query)}] instead`,
    };
  }
  if (Object.keys(query)[0] === "template") return undefined;
  const reason = refusedQuery(query as JsonObject);
  return reason ? { type: "illegal_argument_exception", reason } : undefined;
}

/** Throws ES's parse_exception for the first index entry whose query cannot be a role query. */
export function requireValidRoleQueries(entries: IndexPrivilegeEntry[]): void {
  entries.forEach((entry, i) => {
    if (entry.query === undefined) return;
    const causedBy = queryProblem(entry.query);
    if (!causedBy) return;
    throw new EsError(
      400,
      "parse_exception",
      `failed to parse field 'query' for indices [${entry.names.join(",")}] at index privilege [${i}] of role descriptor`,
      { causedBy },
    );
  });
}
