// The plugin's Pulumi package schema (plugin/schema.json), from the model and the settings table: every resource's
// inputs and outputs with their docs, defaults and secrecy, the object types they use, and the provider's
// configuration (its credentials marked secret). The plugin serves it (GetSchema); SDK generators read it.
import { CONFIG_NAMESPACE, SETTINGS, type SettingSpec } from "../../provider/elastic/settings";
import type { Model, ObjectType, Property, TypeRef } from "./model";
import { GO_IMPORT_BASE, PLUGIN_DOWNLOAD_URL, REPOSITORY } from "./publishing";

type Spec = Record<string, unknown>;

const PACKAGE = CONFIG_NAMESPACE;
const token = (name: string) => `${PACKAGE}:index:${name}`;

function typeSpec(t: TypeRef): Spec {
  switch (t.kind) {
    case "string":
    case "number":
    case "boolean":
      return { type: t.kind };
    case "any":
      return { $ref: "pulumi.json#/Any" };
    case "enum":
      return { type: "string" };
    case "array":
      return { type: "array", items: typeSpec(t.items) };
    case "map":
      return { type: "object", additionalProperties: typeSpec(t.values) };
    case "object":
      return { $ref: `#/types/${token(t.name)}` };
    case "union":
      return unionSpec(t.of.map(typeSpec));
  }
}

/**
 * A union as the SDKs can carry it: identical members collapse, and "one or a list" becomes the list (the Python SDK
 * cannot serialise a list value typed as a union with a scalar, and a list of one says the same as the scalar).
 */
function unionSpec(members: Spec[]): Spec {
  const unique = [...new Map(members.map((m) => [JSON.stringify(m), m])).values()];
  const list = unique.find((m) => m.type === "array");
  if (list && unique.every((m) => m === list || JSON.stringify(m) === JSON.stringify(list.items))) return list;
  return unique.length === 1 ? unique[0] : { oneOf: unique };
}

function propertySpec(p: Property): Spec {
  const allowed = p.type.kind === "enum" ? ` One of: ${p.type.values.map((v) => `\`${v}\``).join(", ")}.` : "";
  const items = p.type.kind === "array" && p.type.items.kind === "enum" ? p.type.items.values : undefined;
  const each = items ? ` Each one of: ${items.map((v) => `\`${v}\``).join(", ")}.` : "";
  return {
    ...typeSpec(p.type),
    description: `${p.doc}${allowed}${each}`.trim(),
    ...(p.default !== undefined && (typeof p.default !== "object" || p.default === null) ? { default: p.default } : {}),
    ...(p.secret ? { secret: true } : {}),
  };
}

const properties = (ps: Property[]) => Object.fromEntries(ps.map((p) => [p.name, propertySpec(p)]));
const required = (ps: Property[]) => ps.filter((p) => p.required).map((p) => p.name);

function objectTypeSpec(o: ObjectType): Spec {
  return { type: "object", description: o.doc, properties: properties(o.properties), required: required(o.properties) };
}

function settingsSpec(): Record<string, Spec> {
  return Object.fromEntries(
    (Object.values(SETTINGS) as SettingSpec[]).map((s) => [
      s.config,
      {
        type: s.kind ?? "string",
        description: `${s.doc} Falls back to the environment variable ${s.env.join(" / ")}.`,
        ...(s.secret ? { secret: true } : {}),
      },
    ]),
  );
}

/** The Java SDK's package prefix, and its Maven groupId (scripts/generate/sdkgen-java). */
export const JAVA_BASE_PACKAGE = "com.pulumielastickeys";

export function generatePluginSchema(model: Model, version: string): Spec {
  // One schema type per object: the input shape, which the values read back also fit (they are its normal form).
  const types = new Map<string, ObjectType>([...model.outputTypes, ...model.inputTypes]);
  return {
    name: PACKAGE,
    displayName: "Elastic credentials",
    version,
    description:
      "Elastic credentials as code: APM agent keys, Fleet enrollment keys, cross-cluster API keys and the least-privilege role that creates agent keys. Keys are only ever secret outputs.",
    keywords: ["pulumi", "elastic", "elasticsearch", "kibana", "fleet", "apm", "category/utility"],
    license: "Apache-2.0",
    publisher: "pulumi-elastic-keys",
    repository: REPOSITORY,
    homepage: REPOSITORY,
    // Every SDK carries it, so the engine fetches a missing plugin from the release assets by itself.
    pluginDownloadURL: PLUGIN_DOWNLOAD_URL,
    meta: { supportPack: true },
    // The generated SDKs (plugin/sdks/, written by scripts/generate/sdkgen from `npm run generate`): names, and the schema's version written into each.
    language: {
      nodejs: {
        packageName: "pulumi-elastic-keys-native",
        packageDescription: "Typed SDK of the elastic plugin (elastic:index:* resources) for TypeScript and JavaScript",
        respectSchemaVersion: true,
      },
      python: { packageName: "pulumi_elastic_keys", respectSchemaVersion: true, pyproject: { enabled: true } },
      go: {
        importBasePath: GO_IMPORT_BASE,
        generateResourceContainerTypes: false,
        respectSchemaVersion: true,
      },
      // Maven coordinates com.pulumielastickeys:elastic, Java package com.pulumielastickeys.elastic (the Java SDK's
      // bootstrap finds plugin.json only below com/).
      java: { basePackage: JAVA_BASE_PACKAGE },
    },
    config: { variables: settingsSpec() },
    provider: {
      description:
        "The elastic provider: where Elasticsearch, Kibana and Fleet are, and the credentials to use. Several instances manage several clusters in one program.",
      inputProperties: settingsSpec(),
    },
    resources: Object.fromEntries(
      model.resources.map((r) => [
        token(r.type),
        {
          description: r.description,
          inputProperties: properties(r.inputs),
          requiredInputs: required(r.inputs),
          properties: properties(r.outputs),
          required: required(r.outputs),
        },
      ]),
    ),
    types: Object.fromEntries(
      [...types.values()].sort((a, b) => a.name.localeCompare(b.name)).map((o) => [token(o.name), objectTypeSpec(o)]),
    ),
  };
}
