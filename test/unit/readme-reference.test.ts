import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { generatedBlocks, renderReadme } from "../../scripts/reference";

const readme = readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");

describe("README reference", () => {
  it("holds the generated block for the settings and for every resource", () => {
    for (const [name, block] of Object.entries(generatedBlocks())) {
      expect(block).toMatch(/^\| /);
      expect(readme).toContain(`<!-- generated:${name} -->\n${block}\n<!-- /generated:${name} -->`);
    }
  });

  it("matches the schemas, replace rules, outputs and settings in the code (run `npm run docs` to update)", () => {
    expect(renderReadme(readme)).toBe(readme);
  });
});
