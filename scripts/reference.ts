// Generates the README's reference tables from the code: inputs (type, default, replace vs update, description)
// from each resource's zod schema and replace rules, outputs from its output docs, settings from the settings
// table. `npm run docs` rewrites the README; test/unit/readme-reference.test.ts fails when the README has drifted.
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { RESOURCES, type RegisteredResource } from "../provider/registry";
import { CONFIG_NAMESPACE, SECRET_SETTINGS, SETTINGS, type SettingName } from "../provider/settings";

type JsonSchema = {
  type?: string;
  enum?: unknown[];
  const?: unknown;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  default?: unknown;
  properties?: Record<string, JsonSchema>;
};

function typeOf(s: JsonSchema): string {
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(" \\| ");
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.anyOf) return s.anyOf.map(typeOf).join(" \\| ");
  if (s.type === "array") {
    const item = s.items ? typeOf(s.items) : "unknown";
    return item.includes("|") ? `(${item})[]` : `${item}[]`;
  }
  if (s.type === "object") return s.properties ? "object" : "map";
  return s.type ?? "any";
}

function inputsTable(doc: RegisteredResource): string {
  const def = doc.lifecycle.definition;
  const rows = Object.entries(def.schema.shape).map(([field, schema]) => {
    const zs = schema as z.ZodType;
    const js = z.toJSONSchema(zs, { io: "input", unrepresentable: "any" }) as JsonSchema;
    const required = !zs.safeParse(undefined).success;
    const replaces = def.replaceOn === "all" || (def.replaceOn as readonly string[]).includes(field);
    const dflt = js.default !== undefined ? `\`${JSON.stringify(js.default)}\`` : required ? "required" : "—";
    const change = replaces ? "replace (new first)" : "update in place";
    return `| \`${field}\` | ${typeOf(js)} | ${dflt} | ${change} | ${(zs.description ?? "").replace(/\|/g, "\\|")} |`;
  });
  return ["| input | type | default | on change | description |", "|---|---|---|---|---|", ...rows].join("\n");
}

function outputsTable(doc: RegisteredResource): string {
  const rows = Object.entries(doc.lifecycle.definition.outputs).map(
    ([k, o]) => `| \`${k}\` | ${o.secret ? "**secret**" : ""} | ${o.doc} |`,
  );
  if (rows.length === 0) return "Outputs: the inputs, as read back from the server.";
  return ["Outputs, besides the inputs:\n", "| output | | description |", "|---|---|---|", ...rows].join("\n");
}

function settingsTable(): string {
  const rows = (Object.keys(SETTINGS) as SettingName[]).map((name) => {
    const s: { config: string; env: readonly string[] } = SETTINGS[name];
    return `| \`${CONFIG_NAMESPACE}:${s.config}\`${SECRET_SETTINGS.includes(name) ? " (secret)" : ""} | ${s.env.map((e) => `\`${e}\``).join(", ")} |`;
  });
  return ["| stack config | env var fallback |", "|---|---|", ...rows].join("\n");
}

/** Every generated block, keyed by its marker name in the README. */
export function generatedBlocks(): Record<string, string> {
  const blocks: Record<string, string> = { settings: settingsTable() };
  for (const doc of RESOURCES) blocks[doc.lifecycle.definition.type] = `${inputsTable(doc)}\n\n${outputsTable(doc)}`;
  return blocks;
}

export function renderReadme(readme: string): string {
  let out = readme;
  for (const [name, block] of Object.entries(generatedBlocks())) {
    const re = new RegExp(`(<!-- generated:${name} -->\\n)[\\s\\S]*?(<!-- /generated:${name} -->)`);
    out = out.replace(re, (_m, open: string, close: string) => `${open}${block}\n${close}`);
  }
  return out;
}

export const README_PATH = path.join(
  __dirname,
  "..",
  ...(__dirname.includes(`${path.sep}dist${path.sep}`) ? [".."] : []),
  "README.md",
);

if (require.main === module) {
  const current = readFileSync(README_PATH, "utf8");
  writeFileSync(README_PATH, renderReadme(current));
  process.stdout.write(`README reference regenerated (${Object.keys(generatedBlocks()).join(", ")})\n`);
}
