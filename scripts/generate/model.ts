// The resources as a language-neutral model, derived from the registry: every input and output with its type, doc,
// default, secrecy and replace rule, and the object types they use. The generated TypeScript SDK, the plugin's
// schema and the README reference tables are all written from it (scripts/generate.ts).
import { z } from "zod";
import { RESOURCES } from "../../provider/framework/registry";

export type TypeRef =
  | { kind: "string" | "number" | "boolean" | "any" }
  | { kind: "enum"; values: string[] }
  | { kind: "array"; items: TypeRef }
  | { kind: "map"; values: TypeRef }
  | { kind: "object"; name: string }
  | { kind: "union"; of: TypeRef[] };

export interface Property {
  name: string;
  type: TypeRef;
  doc: string;
  required: boolean;
  default?: unknown;
  secret?: boolean;
  /** Inputs only: a change replaces the resource (else it updates in place). */
  replaces?: boolean;
}

export interface ObjectType {
  name: string;
  doc: string;
  properties: Property[];
}

export interface ResourceModel {
  type: string;
  folder: string;
  description: string;
  inputs: Property[];
  /** Every output: the inputs as read back, then the outputs beyond them. */
  outputs: Property[];
  updatable: boolean;
}

export interface Model {
  resources: ResourceModel[];
  /** Object types by name; `input` and `output` shapes differ where a value is normalised (see readBack). */
  inputTypes: Map<string, ObjectType>;
  outputTypes: Map<string, ObjectType>;
}

type JsonSchema = {
  type?: string;
  title?: string;
  description?: string;
  enum?: unknown[];
  const?: unknown;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
};

const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Converts a JSON schema node to a type reference, registering object types under their title or path name. */
function typeOf(js: JsonSchema, pathName: string, into: Map<string, ObjectType>): TypeRef {
  if (js.enum) return { kind: "enum", values: js.enum.map(String) };
  if (js.const !== undefined) return { kind: "enum", values: [String(js.const)] };
  if (js.anyOf) {
    const of = js.anyOf.map((s, i) => typeOf(s, `${pathName}${i}`, into));
    const enums = of.filter((t) => t.kind === "enum");
    if (enums.length === of.length) return { kind: "enum", values: enums.flatMap((t) => t.values) };
    return of.length === 1 ? of[0] : { kind: "union", of };
  }
  if (js.type === "string" || js.type === "number" || js.type === "boolean") return { kind: js.type };
  if (js.type === "integer") return { kind: "number" };
  if (js.type === "array")
    return { kind: "array", items: js.items ? typeOf(js.items, pathName, into) : { kind: "any" } };
  if (js.type === "object") {
    if (!js.properties) {
      const values = typeof js.additionalProperties === "object" ? js.additionalProperties : {};
      return { kind: "map", values: Object.keys(values).length ? typeOf(values, pathName, into) : { kind: "any" } };
    }
    const name = js.title ?? pathName;
    if (!into.has(name)) {
      into.set(name, { name, doc: js.description ?? "", properties: [] });
      into.get(name)!.properties = propertiesOf(js, name, into);
    }
    return { kind: "object", name };
  }
  return { kind: "any" };
}

function propertiesOf(js: JsonSchema, owner: string, into: Map<string, ObjectType>): Property[] {
  const required = new Set(js.required ?? []);
  return Object.entries(js.properties ?? {})
    .filter(([, p]) => Object.keys(p).length > 0) // fields a schema accepts only to refuse them with a reason
    .map(([name, p]) => ({
      name,
      type: typeOf(p, `${owner}${pascal(name)}`, into),
      doc: p.description ?? "",
      required: required.has(name),
      ...(p.default !== undefined ? { default: p.default } : {}),
    }));
}

const inputSchema = (s: z.ZodType) => z.toJSONSchema(s, { io: "input", unrepresentable: "any" }) as JsonSchema;

export function buildModel(): Model {
  const inputTypes = new Map<string, ObjectType>();
  const outputTypes = new Map<string, ObjectType>();
  const resources = RESOURCES.map(({ folder, lifecycle }): ResourceModel => {
    const def = lifecycle.definition;
    const replaces = (field: string) => def.replaceOn === "all" || (def.replaceOn as readonly string[]).includes(field);
    const inputs = propertiesOf(inputSchema(def.schema), def.type, inputTypes).map((p) => ({
      ...p,
      replaces: replaces(p.name),
    }));
    // An input reads back in its normalised form: required once defaulted, and in the shape `readBack` declares.
    const readBack = def.readBack ?? {};
    const echoed = inputs.map(({ replaces: _r, ...p }): Property => {
      const shape = readBack[p.name];
      const type = shape ? typeOf(inputSchema(shape), `${def.type}${pascal(p.name)}`, outputTypes) : p.type;
      if (!shape) registerOutputCopies(type, inputTypes, outputTypes);
      return { ...p, type, required: p.required || p.default !== undefined };
    });
    const beyond = Object.entries(def.outputs).map(([name, o]): Property => {
      const js = inputSchema(o.schema);
      return {
        name,
        type: typeOf(js, `${def.type}${pascal(name)}`, outputTypes),
        doc: o.doc,
        required: !o.schema.safeParse(undefined).success,
        ...(o.secret ? { secret: true } : {}),
      };
    });
    return {
      type: def.type,
      folder,
      description: def.description,
      inputs,
      outputs: [...echoed, ...beyond],
      updatable: def.update !== undefined,
    };
  });
  return { resources, inputTypes, outputTypes };
}

/** An object type an input echoes unchanged is also an output type, with defaulted fields required. */
function registerOutputCopies(t: TypeRef, from: Map<string, ObjectType>, to: Map<string, ObjectType>): void {
  if (t.kind === "array") return registerOutputCopies(t.items, from, to);
  if (t.kind === "map") return registerOutputCopies(t.values, from, to);
  if (t.kind === "union") return t.of.forEach((x) => registerOutputCopies(x, from, to));
  if (t.kind !== "object" || to.has(t.name)) return;
  const source = from.get(t.name)!;
  to.set(t.name, {
    ...source,
    properties: source.properties.map((p) => ({ ...p, required: p.required || p.default !== undefined })),
  });
  source.properties.forEach((p) => registerOutputCopies(p.type, from, to));
}
