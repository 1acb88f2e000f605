// Files derived from the resource registry are what `npm run generate` writes: the README reference tables and the
// dynamic SDK's classes and types (sdk/resources.ts). A schema, doc or output change without regenerating fails here.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { RESOURCES } from "../../provider/registry";
import { generatedFiles } from "../../scripts/generate";
import { REPO_ROOT } from "../../scripts/lib/pulumi-cli";

describe("generated files (run `npm run generate` to update)", async () => {
  const files = await generatedFiles();
  for (const [file, content] of Object.entries(files))
    it(`${file} is up to date`, () => {
      expect(readFileSync(path.join(REPO_ROOT, file), "utf8")).toBe(content);
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
