// `npm run generate`: writes everything derived from the resource registry — the README reference tables, the
// dynamic SDK's classes and types, and the plugin's package schema. test/unit/generated.test.ts fails when a
// committed file differs from this output.
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import * as prettier from "prettier";
import { REPO_ROOT } from "./lib/pulumi-cli";
import { buildModel } from "./generate/model";
import { generatePluginSchema } from "./generate/plugin-schema";
import { renderReadme } from "./generate/readme";
import { generateTypeScriptSdk } from "./generate/typescript-sdk";

/** Each generated file: its path in the repository and its content. */
export async function generatedFiles(): Promise<Record<string, string>> {
  const model = buildModel();
  const prettierConfig = (await prettier.resolveConfig(path.join(REPO_ROOT, "sdk", "resources.ts"))) ?? {};
  const { version } = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
  return {
    "plugin/schema.json": await prettier.format(JSON.stringify(generatePluginSchema(model, version)), {
      ...prettierConfig,
      parser: "json",
    }),
    "README.md": renderReadme(readFileSync(path.join(REPO_ROOT, "README.md"), "utf8"), model),
    "sdk/resources.ts": await prettier.format(generateTypeScriptSdk(model), {
      ...prettierConfig,
      parser: "typescript",
    }),
  };
}

if (require.main === module) {
  void generatedFiles().then((files) => {
    for (const [file, content] of Object.entries(files)) writeFileSync(path.join(REPO_ROOT, file), content);
    process.stdout.write(`generated ${Object.keys(files).join(", ")}\n`);
  });
}
