// The README's reference tables (inputs, outputs, settings), from the model and the settings table.
import { CONFIG_NAMESPACE, SECRET_SETTINGS, SETTINGS, type SettingName } from "../../provider/elastic/settings";
import type { Model, Property, ResourceModel, TypeRef } from "./model";

function display(t: TypeRef): string {
  switch (t.kind) {
    case "enum":
      return t.values.map((v) => JSON.stringify(v)).join(" \\| ");
    case "array": {
      const item = display(t.items);
      return item.includes("|") ? `(${item})[]` : `${item}[]`;
    }
    case "map":
      return "map";
    case "object":
      return "object";
    case "union":
      return t.of.map(display).join(" \\| ");
    default:
      return t.kind;
  }
}

const cell = (s: string) => s.replace(/\|/g, "\\|");

function inputsTable(r: ResourceModel): string {
  const rows = r.inputs.map((p: Property) => {
    const dflt = p.default !== undefined ? `\`${JSON.stringify(p.default)}\`` : p.required ? "required" : "—";
    const change = p.replaces ? "replace (new first)" : "update in place";
    return `| \`${p.name}\` | ${display(p.type)} | ${dflt} | ${change} | ${cell(p.doc)} |`;
  });
  return ["| input | type | default | on change | description |", "|---|---|---|---|---|", ...rows].join("\n");
}

function outputsTable(r: ResourceModel): string {
  const inputNames = new Set(r.inputs.map((p) => p.name));
  const rows = r.outputs
    .filter((p) => !inputNames.has(p.name))
    .map((p) => `| \`${p.name}\` | ${p.secret ? "**secret**" : ""} | ${cell(p.doc)} |`);
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

/** One section per resource of the registry: its description, where its requirements are, its tables. */
function resourcesSection(model: Model): string {
  return model.resources
    .map(
      (r) =>
        `### ${r.type}\n\n${r.description}\n\nRequirements: [\`provider/resources/${r.folder}/SPEC.md\`](provider/resources/${r.folder}/SPEC.md).\n\n${inputsTable(r)}\n\n${outputsTable(r)}`,
    )
    .join("\n\n");
}

/** Every generated block, keyed by its marker name in the README. */
export function readmeBlocks(model: Model): Record<string, string> {
  return { settings: settingsTable(), resources: resourcesSection(model) };
}

export function renderReadme(readme: string, model: Model): string {
  let out = readme;
  for (const [name, block] of Object.entries(readmeBlocks(model))) {
    const re = new RegExp(`(<!-- generated:${name} -->\\n)[\\s\\S]*?(<!-- /generated:${name} -->)`);
    if (!re.test(out)) throw new Error(`README.md has no <!-- generated:${name} --> block`);
    out = out.replace(re, (_m, open: string, close: string) => `${open}${block}\n${close}`);
  }
  return out;
}
