// Helpers that reproduce the ES object-parser errors (docs/elastic-api.md 0.1): "[l:c] [parser] unknown field [x]",
// "Required [x]", "request body is required", type errors as x_content_parse_exception.
import { EsError, parseError, xContentParseError } from "../errors";
import { Json, JsonObject, formatPosition, isObject, keyPosition, tokenName, valuePosition } from "../json";

export function requireBody(body: Json | undefined): Json {
  if (body === undefined) throw parseError("request body is required");
  return body;
}

export function requireObject(body: Json, parser: string): JsonObject {
  if (!isObject(body)) {
    throw xContentParseError(
      `${formatPosition(valuePosition(body))} [${parser}] Expected START_OBJECT but was ${tokenName(body)}`,
    );
  }
  return body;
}

export function rejectUnknownFields(obj: JsonObject, parser: string, allowed: readonly string[]): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      throw xContentParseError(`${formatPosition(keyPosition(obj, key))} [${parser}] unknown field [${key}]`);
    }
  }
}

function fieldError(obj: JsonObject, key: string, parser: string, reason: string): EsError {
  return xContentParseError(`${formatPosition(keyPosition(obj, key))} [${parser}] failed to parse field [${key}]`, {
    type: "illegal_argument_exception",
    reason,
  });
}

export function optionalString(obj: JsonObject, key: string, parser: string): string | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string")
    throw fieldError(obj, key, parser, `[${key}] doesn't support values of type: ${tokenName(value)}`);
  return value;
}

export function optionalBoolean(obj: JsonObject, key: string, parser: string): boolean | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === "boolean") return value;
  if (value === "true" || value === "false") return value === "true";
  throw fieldError(obj, key, parser, `[${key}] doesn't support values of type: ${tokenName(value)}`);
}

export function optionalStringArray(obj: JsonObject, key: string, parser: string): string[] | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return [value];
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    throw fieldError(obj, key, parser, `[${key}] doesn't support values of type: ${tokenName(value)}`);
  }
  return value as string[];
}

export function optionalObject(obj: JsonObject, key: string, parser: string): JsonObject | undefined {
  const value = obj[key];
  if (value === undefined) return undefined;
  if (!isObject(value))
    throw fieldError(obj, key, parser, `${key} doesn't support values of type: ${tokenName(value)}`);
  return value;
}

/** Compact JSON text of a DLS query; ES stores and returns queries as strings (C.1). */
export function queryAsString(value: Json): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}
