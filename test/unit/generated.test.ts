// Files derived from the resource registry are what `npm run generate` writes: the README reference tables, the
// dynamic SDK's classes, types and provider entry modules (sdk/generated/), the plugin's schema and its
// generated SDKs (plugin/sdks/). A schema, doc or output change without regenerating fails here.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { RESOURCES } from "../../provider/framework/registry";
import { DYNAMIC_GENERATED_DIR, filesBelow, generatedFiles, SDKS_DIR } from "../../scripts/generate";
import { REPO_ROOT } from "../../scripts/lib/pulumi-cli";

describe("generated files (run `npm run generate` to update)", async () => {
  const files = await generatedFiles();
  for (const [file, content] of Object.entries(files))
    it(`${file} is up to date`, () => {
      expect(readFileSync(path.join(REPO_ROOT, file), "utf8")).toBe(content);
    });

  it(`${SDKS_DIR}/ holds only what the generator writes, for TypeScript, Python and Go`, () => {
    const written = Object.keys(files).filter((f) => f.startsWith(`${SDKS_DIR}/`));
    expect(filesBelow(path.join(REPO_ROOT, SDKS_DIR)).map((f) => `${SDKS_DIR}/${f}`)).toEqual(written.sort());
    for (const lang of ["nodejs", "python", "go"])
      expect(written.some((f) => f.startsWith(`${SDKS_DIR}/${lang}/`))).toBe(true);
  });

  it(`${DYNAMIC_GENERATED_DIR}/ holds only what the generator writes: the classes and one provider entry per resource`, () => {
    const written = Object.keys(files).filter((f) => f.startsWith(`${DYNAMIC_GENERATED_DIR}/`));
    expect(filesBelow(path.join(REPO_ROOT, DYNAMIC_GENERATED_DIR)).map((f) => `${DYNAMIC_GENERATED_DIR}/${f}`)).toEqual(
      written.sort(),
    );
    for (const r of RESOURCES) expect(written).toContain(`${DYNAMIC_GENERATED_DIR}/providers/${r.folder}.ts`);
  });

  it("the generated SDKs carry the schema's descriptions as docstrings and the package version", () => {
    const doc = "Kibana spaces whose APM feature (`feature_apm.all`) the role grants";
    for (const file of ["nodejs/apmRole.ts", "python/pulumi_elastic_keys/apm_role.py", "go/elastic/apmRole.go"])
      expect(files[`${SDKS_DIR}/${file}`], file).toContain(doc);
    const version = (JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string })
      .version;
    expect(files[`${SDKS_DIR}/python/pyproject.toml`]).toContain(`version = "${version}"`);
    expect(JSON.parse(files[`${SDKS_DIR}/nodejs/package.json`]).version).toBe(version);
  });

  it("the README documents every resource of the registry, and the settings", () => {
    const readme = files["README.md"];
    expect(readme).toMatch(/<!-- generated:settings -->\n\| stack config/);
    for (const r of RESOURCES)
      expect(readme).toMatch(
        new RegExp(
          `<!-- generated:resources -->[\\s\\S]*### ${r.lifecycle.definition.type}\\n[\\s\\S]*<!-- /generated:resources -->`,
        ),
      );
  });
});
