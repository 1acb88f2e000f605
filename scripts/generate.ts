// `npm run generate`: writes everything derived from the resource registry — the README reference tables, the
// dynamic SDK's classes, types and provider entry modules (sdk/generated/), the plugin's package schema, and the
// plugin's SDKs for TypeScript, Python, Go and Java (plugin/sdks/, written from that schema by Pulumi's own code
// generators: scripts/generate/sdkgen, and scripts/generate/sdkgen-java for Java).
// test/unit/generated.test.ts fails when a committed file differs from this output, or plugin/sdks/ or sdk/generated/
// holds a file it does not write.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as prettier from "prettier";
import { REPO_ROOT } from "./lib/pulumi-cli";
import { buildModel } from "./generate/model";
import { generatePluginSchema } from "./generate/plugin-schema";
import { PLUGIN_DOWNLOAD_URL } from "./generate/publishing";
import { CONFIG_NAMESPACE } from "../provider/elastic/settings";
import { renderReadme } from "./generate/readme";
import { generateTypeScriptSdk } from "./generate/typescript-sdk";
import { generateDynamicEntries } from "./generate/dynamic-entries";

/** Where the plugin's generated SDKs live, one folder per language. */
export const SDKS_DIR = "plugin/sdks";
/** The dynamic SDK's generated files (the hand-written ones stay in sdk/). */
export const DYNAMIC_GENERATED_DIR = "sdk/generated";

/** Every file below `dir`, by path relative to it (forward slashes). */
export function filesBelow(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else out.push(r);
    }
  };
  walk("");
  return out.sort();
}

/** The sdk/v3 the Go SDK builds against: the version of the CLI, the generators and the README. */
export const GO_PULUMI_SDK = "v3.259.0";

/**
 * The generated Go module made tidy, as `go build -mod=readonly` needs it: the generator pins an older sdk/v3 and
 * leaves out what its code imports besides (github.com/blang/semver), and writes no go.sum. `go mod tidy` completes
 * both from the Go module proxy (the modules the CLI build already fetched).
 */
function tidyGoModule(dir: string): void {
  const env = { ...process.env, GOTOOLCHAIN: "local", GOFLAGS: "-mod=mod" };
  const go = (...args: string[]) => {
    try {
      execFileSync("go", args, { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
    } catch (e) {
      throw new Error(
        `go ${args.join(" ")} in the generated Go SDK failed:\n${String((e as { stderr?: Buffer }).stderr)}`,
      );
    }
  };
  go("mod", "edit", `-require=github.com/pulumi/pulumi/sdk/v3@${GO_PULUMI_SDK}`);
  go("mod", "tidy");
}

/**
 * YAML has no SDK: a program names the plugin's version and download URL in a package declaration file anywhere in
 * its project folder (what `pulumi package add` writes for YAML), and the YAML host hands both to the engine.
 */
const yamlPackageDeclarationName = (version: string) => `elastic-${version}.yaml`;
function yamlPackageDeclaration(version: string): string {
  return [
    "# The elastic plugin for a YAML program: copy this file into the project folder (e.g. sdks/), and the engine",
    "# fetches the plugin from its download URL when it is not installed.",
    "packageDeclarationVersion: 1",
    `name: ${CONFIG_NAMESPACE}`,
    `version: ${version}`,
    `downloadUrl: ${PLUGIN_DOWNLOAD_URL}`,
    "",
  ].join("\n");
}

/**
 * The generators of the SDKs, each built once by its set-up script: Pulumi's for TypeScript, Python and Go
 * (scripts/generate/sdkgen), pulumi-java's for Java (scripts/generate/sdkgen-java, built apart: it needs another
 * pkg/v3). Each takes `<schema> <version> <out dir>` and writes its languages' folders.
 */
const SDK_GENERATORS = ["ensure-sdkgen.sh", "ensure-java-sdkgen.sh"];

/** The SDKs the generators write from the schema. */
function sdkFiles(schema: string, version: string): Record<string, string> {
  const generators = SDK_GENERATORS.map((script) =>
    execFileSync("bash", [path.join(REPO_ROOT, "scripts", script)], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    }).trim(),
  );
  const work = mkdtempSync(path.join(os.tmpdir(), "pek-sdkgen-"));
  try {
    writeFileSync(path.join(work, "schema.json"), schema);
    for (const generator of generators)
      execFileSync(generator, [path.join(work, "schema.json"), version, path.join(work, "out")], { stdio: "inherit" });
    const out = path.join(work, "out");
    tidyGoModule(path.join(out, "go"));
    mkdirSync(path.join(out, "yaml"));
    writeFileSync(path.join(out, "yaml", yamlPackageDeclarationName(version)), yamlPackageDeclaration(version));
    return Object.fromEntries(
      filesBelow(out).map((f) => [`${SDKS_DIR}/${f}`, readFileSync(path.join(out, f), "utf8")]),
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Each generated file: its path in the repository and its content. */
export async function generatedFiles(): Promise<Record<string, string>> {
  const model = buildModel();
  const prettierConfig = (await prettier.resolveConfig(path.join(REPO_ROOT, "sdk", "index.ts"))) ?? {};
  const { version } = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
  const schema = await prettier.format(JSON.stringify(generatePluginSchema(model, version)), {
    ...prettierConfig,
    parser: "json",
  });
  return {
    "plugin/schema.json": schema,
    ...sdkFiles(schema, version),
    "README.md": renderReadme(readFileSync(path.join(REPO_ROOT, "README.md"), "utf8"), model),
    "sdk/generated/resources.ts": await prettier.format(generateTypeScriptSdk(model), {
      ...prettierConfig,
      parser: "typescript",
    }),
    ...Object.fromEntries(
      await Promise.all(
        Object.entries(generateDynamicEntries(model)).map(
          async ([file, text]) =>
            [file, await prettier.format(text, { ...prettierConfig, parser: "typescript" })] as const,
        ),
      ),
    ),
  };
}

if (require.main === module) {
  void generatedFiles().then((files) => {
    for (const dir of [SDKS_DIR, DYNAMIC_GENERATED_DIR])
      rmSync(path.join(REPO_ROOT, dir), { recursive: true, force: true }); // no stale file survives
    for (const [file, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(REPO_ROOT, file)), { recursive: true });
      writeFileSync(path.join(REPO_ROOT, file), content);
    }
    const sdks = Object.keys(files).filter((f) => f.startsWith(`${SDKS_DIR}/`));
    const others = Object.keys(files).filter((f) => !sdks.includes(f));
    process.stdout.write(`generated ${others.join(", ")} and ${sdks.length} files in ${SDKS_DIR}/\n`);
  });
}
