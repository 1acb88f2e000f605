// The commands an example's README tells a user to type: the lines of its first ```bash block (comments and blank
// lines dropped), placeholders such as `<password>` or `https://es.example.com:9200` replaced by the test's values,
// each split into its words. Tests run exactly these, so a README that drifts from what works fails.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../../scripts/lib/pulumi-cli";

export function readmeCommands(example: string, substitutions: Record<string, string>): string[][] {
  const readme = readFileSync(path.join(REPO_ROOT, "examples", example, "README.md"), "utf8");
  const block = /```bash\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error(`examples/${example}/README.md has no bash block`);
  return block
    .split("\n")
    .map((line) => line.replace(/(^|\s)#.*$/, "").trim())
    .filter(Boolean)
    .map((line) => {
      // `<…>` placeholders and URLs anywhere in the line; other placeholders (a user name) as whole words.
      for (const [placeholder, value] of Object.entries(substitutions))
        if (/[<:]/.test(placeholder)) line = line.split(placeholder).join(value);
      if (/<[^>]+>/.test(line))
        throw new Error(`examples/${example}/README.md: no value for a placeholder in: ${line}`);
      return line.split(/\s+/).map((word) => substitutions[word] ?? word);
    });
}
