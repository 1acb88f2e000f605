// `npm run package-plugin`: the native plugin as a self-contained tarball, written under the release-asset names the
// schema's pluginDownloadURL leads the engine to (scripts/generate/publishing.ts: one per platform, the same
// content), which `pulumi plugin install resource elastic <version> --file <tarball>` accepts as well. Inside: the
// launcher `pulumi-resource-elastic` at the root (the engine runs it), the compiled plugin and core (no sources, maps
// or declarations), the schema, the LICENSE, and the runtime packages the plugin loads, copied from this checkout's
// node_modules (of @pulumi/pulumi only its protocol stubs). It needs only a `node` (22 or 24) on PATH. No
// PulumiPlugin.yaml: an installed plugin with one would be taken for a source plugin needing the nodejs language host.
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "./lib/pulumi-cli";
import { currentPlatform, PLUGIN_PLATFORMS, pluginAssetName } from "./generate/publishing";

/** Packages the plugin loads at run time (plugin/, provider/), whose dependencies are followed. */
const RUNTIME_PACKAGES = ["@grpc/grpc-js", "google-protobuf", "undici", "zod"];
/** Of @pulumi/pulumi the plugin needs only the generated protocol stubs (test/unit/layers.test.ts keeps it so). */
const PULUMI_PARTS = ["package.json", "LICENSE", "proto"];

interface PackageJson {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/** The directory of `name` as Node would resolve it from `fromDir` (nearest node_modules upwards). */
function packageDir(name: string, fromDir: string): string | undefined {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", name);
    if (existsSync(path.join(candidate, "package.json"))) return candidate;
    if (dir === path.dirname(dir)) return undefined;
  }
}

/** Every package directory the given packages need, dependencies followed (each copied where the checkout has it). */
function closure(names: string[]): string[] {
  const found = new Set<string>();
  const queue = names.map((n) => ({ name: n, from: REPO_ROOT, optional: false }));
  while (queue.length) {
    const { name, from, optional } = queue.pop()!;
    const dir = packageDir(name, from);
    if (!dir) {
      if (optional) continue;
      throw new Error(`package-plugin: ${name} is not installed (run npm ci)`);
    }
    if (found.has(dir)) continue;
    found.add(dir);
    const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as PackageJson;
    for (const dep of Object.keys(pkg.dependencies ?? {})) queue.push({ name: dep, from: dir, optional: false });
    for (const dep of Object.keys(pkg.optionalDependencies ?? {})) queue.push({ name: dep, from: dir, optional: true });
  }
  return [...found];
}

/** Runtime files only: no TypeScript sources, declarations, source maps or docs (licences stay). */
const keep = (src: string): boolean =>
  statSync(src).isDirectory() ||
  !/\.(map|d\.ts|d\.cts|d\.mts|ts|cts|mts|md|markdown)$/i.test(src) ||
  /license/i.test(path.basename(src));

export interface PluginPackage {
  /** The asset for this machine's platform. */
  tarball: string;
  /** Every platform's asset (identical content), as a release publishes them. */
  tarballs: string[];
  bytes: number;
}

export function packagePlugin(outDir = path.join(REPO_ROOT, "dist", "plugin-package")): PluginPackage {
  const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as PackageJson;
  if (!existsSync(path.join(REPO_ROOT, "dist", "plugin", "main.js")))
    throw new Error("package-plugin: dist/plugin/main.js is missing (run npm run build)");
  const stage = mkdtempSync(path.join(os.tmpdir(), "pek-plugin-"));
  try {
    cpSync(
      path.join(REPO_ROOT, "plugin", "bin", "pulumi-resource-elastic"),
      path.join(stage, "pulumi-resource-elastic"),
    );
    chmodSync(path.join(stage, "pulumi-resource-elastic"), 0o755);
    for (const dir of ["plugin", "provider"])
      cpSync(path.join(REPO_ROOT, "dist", dir), path.join(stage, "dist", dir), {
        recursive: true,
        filter: (src) => statSync(src).isDirectory() || src.endsWith(".js"),
      });
    cpSync(path.join(REPO_ROOT, "LICENSE"), path.join(stage, "LICENSE"));
    mkdirSync(path.join(stage, "plugin"));
    cpSync(path.join(REPO_ROOT, "plugin", "schema.json"), path.join(stage, "plugin", "schema.json"));
    writeFileSync(
      path.join(stage, "package.json"),
      `${JSON.stringify({ name: "pulumi-resource-elastic", version: pkg.version, private: true, license: "Apache-2.0" }, null, 2)}\n`,
    );
    for (const dir of closure(RUNTIME_PACKAGES)) {
      const rel = path.relative(REPO_ROOT, dir);
      cpSync(dir, path.join(stage, rel), { recursive: true, filter: keep });
    }
    const pulumiDir = packageDir("@pulumi/pulumi", REPO_ROOT)!;
    for (const part of PULUMI_PARTS)
      if (existsSync(path.join(pulumiDir, part)))
        cpSync(path.join(pulumiDir, part), path.join(stage, "node_modules", "@pulumi", "pulumi", part), {
          recursive: true,
          filter: keep,
        });
    mkdirSync(outDir, { recursive: true });
    const tarballs = PLUGIN_PLATFORMS.map((p) => path.join(outDir, pluginAssetName(pkg.version, p)));
    execFileSync("tar", ["-czf", tarballs[0], "-C", stage, "."]);
    for (const other of tarballs.slice(1)) cpSync(tarballs[0], other);
    const own = tarballs.find((t) => path.basename(t) === pluginAssetName(pkg.version, currentPlatform()));
    return { tarball: own ?? tarballs[0], tarballs, bytes: statSync(tarballs[0]).size };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const { tarball, tarballs, bytes } = packagePlugin(process.argv[2]);
  const version = (JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as PackageJson).version;
  process.stdout.write(
    [
      `${path.dirname(tarball)}/: ${tarballs.map((t) => path.basename(t)).join(", ")} (${(bytes / 1024 / 1024).toFixed(1)} MB each, the same content)`,
      `install: pulumi plugin install resource elastic ${version} --file ${tarball}`,
      "",
    ].join("\n"),
  );
}
