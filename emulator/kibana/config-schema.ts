// Strict object validation in the style of @kbn/config-schema (docs/elastic-api.md 0.3 gate 7), used by Fleet and
// Spaces.
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

// Nested schemas, for bodies richer than a flat list of fields (Fleet agent policies). Errors name the full path
// ("[request body.agent_features.0.name]: …") and use @kbn/config-schema's wording; `maybe` accepts a missing key
// only, so null must be allowed explicitly with `nullable`.
export interface Schema {
  /** Returns the value to keep (with defaults applied); throws a 400 Boom error naming `path`. */
  check(value: Json | undefined, path: string): Json | undefined;
  /** What the type is called in "expected value of type [...]". */
  readonly name: string;
}

class SchemaError extends Error {}

const fail = (path: string, message: string): never => {
  throw new SchemaError(`[${path}]: ${message}`);
};

function describeType(value: Json | undefined): string {
  if (Array.isArray(value)) return "Array";
  return typeOfValue(value);
}

function typeMismatch(name: string, value: Json | undefined, path: string): never {
  return fail(path, `expected value of type [${name}] but got [${describeType(value)}]`);
}

function refine(schema: Schema, validate?: (value: Json) => string | undefined): Schema {
  if (!validate) return schema;
  return {
    name: schema.name,
    check(value, path) {
      const checked = schema.check(value, path);
      const problem = checked === undefined ? undefined : validate(checked);
      return problem ? fail(path, problem) : checked;
    },
  };
}

export const s = {
  string(opts: { minLength?: number; validate?: (v: Json) => string | undefined } = {}): Schema {
    return refine(
      {
        name: "string",
        check(value, path) {
          if (typeof value !== "string") return typeMismatch("string", value, path);
          if (opts.minLength !== undefined && value.length < opts.minLength) {
            fail(path, `value has length [${value.length}] but it must have a minimum length of [${opts.minLength}].`);
          }
          return value;
        },
      },
      opts.validate,
    );
  },
  number(opts: { min?: number; max?: number; defaultValue?: number; integer?: boolean } = {}): Schema {
    return {
      name: "number",
      check(value, path) {
        if (value === undefined && opts.defaultValue !== undefined) return opts.defaultValue;
        // config-schema converts numeric strings, as Joi does.
        const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
        if (typeof n !== "number" || !Number.isFinite(n)) return typeMismatch("number", value, path);
        if (opts.min !== undefined && n < opts.min) fail(path, `Value must be equal to or greater than [${opts.min}].`);
        if (opts.max !== undefined && n > opts.max) fail(path, `Value must be equal to or lower than [${opts.max}].`);
        if (opts.integer && !Number.isInteger(n)) fail(path, `${n} is not a valid integer`);
        return n;
      },
    };
  },
  boolean(): Schema {
    return {
      name: "boolean",
      check(value, path) {
        if (value === "true" || value === "false") return value === "true";
        return typeof value === "boolean" ? value : typeMismatch("boolean", value, path);
      },
    };
  },
  literal(expected: string | number | boolean | null): Schema {
    return {
      name: String(expected),
      check: (value, path) => (value === expected ? value : fail(path, `expected value to equal [${expected}]`)),
    };
  },
  any(): Schema {
    return { name: "any", check: (value) => value };
  },
  maybe(schema: Schema): Schema {
    return { name: schema.name, check: (value, path) => (value === undefined ? undefined : schema.check(value, path)) };
  },
  oneOf(options: Schema[]): Schema {
    return {
      name: options.map((o) => o.name).join(" | "),
      check(value, path) {
        const failures: string[] = [];
        for (const [i, option] of options.entries()) {
          try {
            return option.check(value, `${path}.${i}`);
          } catch (error) {
            if (!(error instanceof SchemaError)) throw error;
            failures.push(`- ${error.message}`);
          }
        }
        return fail(path, `types that failed validation:\n${failures.join("\n")}`);
      },
    };
  },
  nullable(schema: Schema): Schema {
    return s.maybe(s.oneOf([s.literal(null), schema]));
  },
  arrayOf(item: Schema, validate?: (v: Json) => string | undefined): Schema {
    return refine(
      {
        name: "array",
        check(value, path) {
          if (!Array.isArray(value)) return typeMismatch("array", value, path);
          return value.map((v, i) => item.check(v, `${path}.${i}`) ?? null);
        },
      },
      validate,
    );
  },
  recordOf(values: Schema, validate?: (v: Json) => string | undefined): Schema {
    return refine(
      {
        name: "object",
        check(value, path) {
          if (!isObject(value)) return typeMismatch("object", value, path);
          const out: JsonObject = {};
          for (const [k, v] of Object.entries(value)) out[k] = values.check(v, `${path}.${k}`) ?? null;
          return out;
        },
      },
      validate,
    );
  },
  /** A strict object: unknown keys are refused, as config-schema objects are by default. */
  object(props: Record<string, Schema>): Schema {
    return {
      name: "object",
      check(value, path) {
        if (!isObject(value)) {
          return fail(path, `expected a plain object value, but found [${describeType(value)}] instead.`);
        }
        const out: JsonObject = {};
        for (const [key, schema] of Object.entries(props)) {
          const checked = schema.check(value[key], `${path}.${key}`);
          if (checked !== undefined) out[key] = checked;
        }
        for (const key of Object.keys(value)) {
          if (!(key in props)) fail(`${path}.${key}`, "definition for this key is missing");
        }
        return out;
      },
    };
  },
};

/** Validates a request body against a schema built with `s`; config-schema failures become 400 Boom errors. */
export function validateBodySchema(body: Json | undefined, schema: Schema): JsonObject {
  try {
    return schema.check(body, "request body") as JsonObject;
  } catch (error) {
    if (error instanceof SchemaError) throw boom.badRequest(error.message);
    throw error;
  }
}
