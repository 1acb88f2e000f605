// The layers stay apart: provider/ (the Pulumi-free core) never imports @pulumi/pulumi, the SDK, the emulator,
// scripts or tests; plugin/ (the native plugin) serves the core with only Pulumi's protocol stubs; sdk/ never imports tests, scripts or the emulator; the emulator is self-contained; and what users
// run (`npm start`, `npm run emulator`, the package's command line) never reaches test code. Imports are followed
// through the whole graph from each entry point, so an indirect crossing fails too.
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { RESOURCES } from "../../provider/registry";

const ROOT = path.join(__dirname, "..", "..");

/** Module specifiers a TypeScript file imports (static, dynamic, require, `typeof import`, re-exports). */
export function importsOf(source: string): string[] {
  const specs = new Set<string>();
  const patterns = [
    /\bimport\s+(?:type\s+)?(?:[^'"]*?\s+from\s+)?["']([^"']+)["']/g,
    /\bexport\s+(?:type\s+)?[^'"]*?\s+from\s+["']([^"']+)["']/g,
    /\b(?:require|import)\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\.resolve\(\s*["']([^"']+)["']/g,
  ];
  for (const re of patterns) for (const m of source.matchAll(re)) specs.add(m[1]);
  return [...specs];
}

interface Files {
  read(file: string): string;
  exists(file: string): boolean;
}
const disk: Files = { read: (f) => readFileSync(f, "utf8"), exists: existsSync };

function resolveLocal(from: string, spec: string, fs: Files): string | undefined {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [`${base}.ts`, path.join(base, "index.ts"), base])
    if (candidate.endsWith(".ts") && fs.exists(candidate)) return candidate;
  return undefined;
}

/** Every module reachable from the entry files: repository files (relative to ROOT) and package names. */
export function reachable(entries: string[], fs: Files = disk) {
  const files = new Set<string>();
  const packages = new Set<string>();
  const edges: [string, string][] = [];
  const queue = entries.map((e) => path.join(ROOT, e));
  while (queue.length) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const spec of importsOf(fs.read(file))) {
      if (spec.startsWith(".")) {
        const target = resolveLocal(file, spec, fs);
        if (target) {
          edges.push([path.relative(ROOT, file), path.relative(ROOT, target)]);
          queue.push(target);
        } else edges.push([path.relative(ROOT, file), path.relative(ROOT, path.resolve(path.dirname(file), spec))]);
      } else if (!spec.startsWith("node:")) {
        const pkg = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];
        packages.add(pkg);
        edges.push([path.relative(ROOT, file), spec]);
      }
    }
  }
  return { files: [...files].map((f) => path.relative(ROOT, f)), packages: [...packages], edges };
}

/** The edges that break a rule: `from` under `layer` reaching a forbidden folder or package. */
export function crossings(
  graph: ReturnType<typeof reachable>,
  forbidden: { folders?: string[]; packages?: string[] },
): string[] {
  return graph.edges
    .filter(
      ([, to]) =>
        (forbidden.folders ?? []).some((f) => to.startsWith(`${f}/`)) ||
        (forbidden.packages ?? []).some((p) => to === p || to.startsWith(`${p}/`)),
    )
    .map(([from, to]) => `${from} -> ${to}`);
}

/** The provider's entry modules: its public surface, its command line, and each resource's dynamic-provider entry. */
const PROVIDER_ENTRIES = [
  "provider/index.ts",
  "provider/bin.ts",
  ...RESOURCES.map((r) => `provider/resources/${r.folder}/index.ts`),
];

describe("layers", () => {
  it("provider/ never imports @pulumi/pulumi, the SDK, the emulator, scripts or tests", () => {
    const graph = reachable(PROVIDER_ENTRIES);
    expect(graph.files.length).toBeGreaterThan(20);
    expect(crossings(graph, { folders: ["sdk", "emulator", "scripts", "test"], packages: ["@pulumi/pulumi"] })).toEqual(
      [],
    );
  });

  it("sdk/ never imports tests, scripts or the emulator", () => {
    expect(crossings(reachable(["sdk/index.ts"]), { folders: ["test", "scripts", "emulator"] })).toEqual([]);
  });

  it("the emulator is self-contained (no provider, SDK, scripts or test code; no dependency)", () => {
    const graph = reachable(["emulator/index.ts", "emulator/cli.ts"]);
    expect(crossings(graph, { folders: ["provider", "sdk", "scripts", "test"] })).toEqual([]);
    expect(graph.packages).toEqual([]);
  });

  it("the native plugin serves the core: no SDK, emulator, scripts or tests, and of @pulumi/pulumi only the protocol stubs", () => {
    const graph = reachable(["plugin/main.ts"]);
    expect(graph.files).toContain("provider/registry.ts");
    expect(crossings(graph, { folders: ["sdk", "emulator", "scripts", "test"] })).toEqual([]);
    const pulumiImports = graph.edges.map(([, to]) => to).filter((to) => to.startsWith("@pulumi/pulumi"));
    expect(pulumiImports.length).toBeGreaterThan(0);
    expect(pulumiImports.filter((to) => !to.startsWith("@pulumi/pulumi/proto/"))).toEqual([]);
  });

  it("what users run (npm start, npm run emulator, npm run bench, the package's command line) reaches no test code", () => {
    for (const entry of [
      "scripts/quickstart.ts",
      "emulator/cli.ts",
      "scripts/bench.ts",
      "provider/bin.ts",
      "plugin/main.ts",
    ])
      expect(crossings(reachable([entry]), { folders: ["test"] }), entry).toEqual([]);
  });

  it("finds a crossing, also an indirect one", () => {
    const fake: Record<string, string> = {
      [path.join(ROOT, "provider/a.ts")]: 'import { b } from "./b";',
      [path.join(ROOT, "provider/b.ts")]: 'import * as pulumi from "@pulumi/pulumi";\nconst x = require("../test/y");',
    };
    const graph = reachable(["provider/a.ts"], { read: (f) => fake[f] ?? "", exists: (f) => f in fake });
    expect(crossings(graph, { folders: ["test"], packages: ["@pulumi/pulumi"] })).toEqual([
      "provider/b.ts -> @pulumi/pulumi",
      "provider/b.ts -> test/y",
    ]);
  });
});
