// Strict object validation in the style of @kbn/config-schema (reference 0.3 gate 7), used by Fleet and Spaces.
import { boom } from "../errors";
import { Json, JsonObject, isObject } from "../json";

export type FieldType = "string" | "number" | "boolean" | "string[]";

export interface FieldSpec {
  type: FieldType;
  required?: boolean;
  /** Extra check returning an error message for the value. */
  validate?: (value: Json) => string | undefined;
}

function typeOfValue(value: Json | undefined): string {
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  if (Array.isArray(value)) return "Array";
  return typeof value;
}

function checkType(type: FieldType, value: Json): boolean {
  if (type === "string[]") return Array.isArray(value) && value.every((v) => typeof v === "string");
  return typeof value === type;
}

function expected(type: FieldType): string {
  return type === "string[]" ? "array" : type;
}

/** Validates a JSON body; unknown keys and type errors are 400 Boom errors with the config-schema texts. */
export function validateBody(body: Json | undefined, spec: Record<string, FieldSpec>): JsonObject {
  if (!isObject(body)) {
    throw boom.badRequest(
      `[request body]: expected a plain object value, but found [${body === undefined ? "undefined" : JSON.stringify(body)}] instead.`,
    );
  }
  for (const [key, field] of Object.entries(spec)) {
    const value = body[key];
    if (value === undefined || value === null) {
      if (field.required)
        throw boom.badRequest(
          `[request body.${key}]: expected value of type [${expected(field.type)}] but got [${typeOfValue(value)}]`,
        );
      continue;
    }
    if (!checkType(field.type, value)) {
      throw boom.badRequest(
        `[request body.${key}]: expected value of type [${expected(field.type)}] but got [${typeOfValue(value)}]`,
      );
    }
    const problem = field.validate?.(value);
    if (problem) throw boom.badRequest(`[request body.${key}]: ${problem}`);
  }
  for (const key of Object.keys(body)) {
    if (!(key in spec)) throw boom.badRequest(`[request body.${key}]: definition for this key is missing`);
  }
  return body;
}

/** Validates query parameters; numbers and booleans are coerced from their text as config-schema does. */
export function validateQuery(
  query: URLSearchParams,
  spec: Record<string, FieldSpec>,
): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const key of query.keys()) {
    if (!(key in spec)) throw boom.badRequest(`[request query.${key}]: definition for this key is missing`);
  }
  for (const [key, field] of Object.entries(spec)) {
    const raw = query.get(key);
    if (raw === null) {
      if (field.required)
        throw boom.badRequest(
          `[request query.${key}]: expected value of type [${expected(field.type)}] but got [undefined]`,
        );
      continue;
    }
    if (field.type === "number") {
      const n = Number(raw);
      if (raw.trim() === "" || !Number.isFinite(n))
        throw boom.badRequest(`[request query.${key}]: expected value of type [number] but got [string]`);
      out[key] = n;
    } else if (field.type === "boolean") {
      if (raw !== "true" && raw !== "false")
        throw boom.badRequest(`[request query.${key}]: expected value of type [boolean] but got [string]`);
      out[key] = raw === "true";
    } else {
      out[key] = raw;
    }
  }
  return out;
}
