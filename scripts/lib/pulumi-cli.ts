// Finds the pulumi CLI the way the project promises: scripts/ensure-pulumi-cli.sh (PULUMI_CLI_PATH, the cached
// build, PATH, or a fresh build from the Go module proxy). Resolved once per process.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";

/** The repository root, found from either test/support (vitest) or dist/test/support (compiled engine tests). */
function findRepoRoot(from: string): string {
  for (let dir = from; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const pkg = path.join(dir, "package.json");
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, "utf8")).name === "pulumi-elastic-keys") return dir;
  }
  throw new Error(`cannot find the pulumi-elastic-keys repository above ${from}`);
}

export const REPO_ROOT = findRepoRoot(__dirname);

let resolved: string | undefined;

export function pulumiCliPath(): string {
  if (resolved) return resolved;
  const script = path.join(REPO_ROOT, "scripts", "ensure-pulumi-cli.sh");
  resolved = execFileSync("bash", [script], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] })
    .trim()
    .split("\n")
    .pop()!;
  return resolved;
}

/** Directory that holds pulumi-resource-pulumi-nodejs, the dynamic-provider plugin shipped in @pulumi/pulumi. */
export function nodejsPluginDir(): string {
  return path.dirname(require.resolve("@pulumi/pulumi/package.json"));
}

const hosts = new Map<string, string>();

/** A language host next to the CLI, where the engine looks for it (its set-up script builds it once, into the cache). */
function languageHost(script: string): string {
  const known = hosts.get(script);
  if (known) return known;
  const host = execFileSync("bash", [path.join(REPO_ROOT, "scripts", script), path.dirname(pulumiCliPath())], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  })
    .trim()
    .split("\n")
    .pop()!;
  hosts.set(script, host);
  return host;
}

/** The YAML language host (scripts/ensure-yaml-host.sh). */
export const yamlHostPath = (): string => languageHost("ensure-yaml-host.sh");

/** The Java language host (scripts/ensure-java-host.sh); it runs programs with the `mvn` on PATH. */
export const javaHostPath = (): string => languageHost("ensure-java-host.sh");

/** The native plugin's directory in this checkout (`plugins.providers[].path` in a Pulumi.yaml). */
export const PLUGIN_DIR = path.join(REPO_ROOT, "plugin", "bin");
