// The layers stay apart. provider/ (the Pulumi-free core) never imports @pulumi/pulumi, a front end, the command line,
// the emulator, scripts or tests, and inside it the rooms import one way: elastic/ (the Elastic clients) imports no
// resource code, framework/ (what every resource shares) imports only elastic/ (but the registry, which lists the
// resources). cli/ and the dynamic front end's entry modules (sdk/generated/providers/) stand outside the core; plugin/ serves the
// core with only Pulumi's protocol stubs; the emulator is self-contained; what users run never reaches test code; and
// no module imports itself back through a circle. Imports are followed through the whole graph from each entry point,
// so an indirect crossing fails too. The core holds no module-level mutable state (it belongs to a Connection).
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { RESOURCES } from "../../provider/framework/registry";

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

/**
 * Top-level declarations that hold state across calls: a `let` or `var`, or a Map, Set, WeakMap or WeakSet not typed
 * read-only. (Constant tables of literals are not counted: nothing in the core writes to them.)
 */
export function moduleLevelState(source: string): string[] {
  return source
    .split("\n")
    .filter(
      (line) =>
        /^(export )?(let|var) /.test(line) ||
        (/^(export )?const \w+\s*(:[^=]*)?=\s*new (Map|Set|WeakMap|WeakSet)\b/.test(line) &&
          !/^(export )?const \w+\s*:\s*Readonly(Set|Map)</.test(line)),
    );
}

/** The core's public surface: everything the front ends and the command line reach of it. */
const PROVIDER_ENTRIES = ["provider/index.ts", "provider/framework/registry.ts"];
/** The dynamic front end's entry modules (`require("pulumi-elastic-keys/provider/<folder>")` in state). */
const DYNAMIC_ENTRIES = RESOURCES.map((r) => `sdk/generated/providers/${r.folder}.ts`);

/** Module circles among repository files: each as `a -> b -> … -> a`. */
export function circles(graph: ReturnType<typeof reachable>): string[] {
  const next = new Map<string, string[]>();
  for (const [from, to] of graph.edges) if (to.endsWith(".ts")) next.set(from, [...(next.get(from) ?? []), to]);
  const found = new Set<string>();
  const state = new Map<string, "open" | "done">();
  const walk = (file: string, trail: string[]) => {
    if (state.get(file) === "done") return;
    if (state.get(file) === "open") {
      found.add([...trail.slice(trail.indexOf(file)), file].join(" -> "));
      return;
    }
    state.set(file, "open");
    for (const to of next.get(file) ?? []) walk(to, [...trail, file]);
    state.set(file, "done");
  };
  for (const file of next.keys()) walk(file, []);
  return [...found];
}

describe("layers", () => {
  it("provider/ never imports @pulumi/pulumi, a front end, the command line, the emulator, scripts or tests", () => {
    const graph = reachable(PROVIDER_ENTRIES);
    expect(graph.files.length).toBeGreaterThan(20);
    expect(
      crossings(graph, {
        folders: ["sdk", "plugin", "cli", "emulator", "scripts", "test"],
        packages: ["@pulumi/pulumi"],
      }),
    ).toEqual([]);
  });

  it("inside the core the rooms import one way: elastic/ <- framework/ <- resources/", () => {
    const graph = reachable(PROVIDER_ENTRIES);
    const from = (room: string) => ({
      ...graph,
      edges: graph.edges.filter(([f]) => f.startsWith(`provider/${room}/`)),
    });
    expect(crossings(from("elastic"), { folders: ["provider/framework", "provider/resources"] })).toEqual([]);
    const framework = from("framework");
    framework.edges = framework.edges.filter(([f]) => f !== "provider/framework/registry.ts");
    expect(crossings(framework, { folders: ["provider/resources"] })).toEqual([]);
  });

  it("no module reaches itself through a circle of imports", () => {
    const graph = reachable([...PROVIDER_ENTRIES, ...DYNAMIC_ENTRIES, "cli/bin.ts", "plugin/main.ts", "sdk/index.ts"]);
    expect(circles(graph)).toEqual([]);
  });

  it("the command line and the dynamic front end's entry modules use the core, of Pulumi only the protocol stubs", () => {
    for (const entry of ["cli/bin.ts", ...DYNAMIC_ENTRIES]) {
      const graph = reachable([entry]);
      expect(crossings(graph, { folders: ["emulator", "scripts", "test"] }), entry).toEqual([]);
      const pulumi = graph.edges.map(([, to]) => to).filter((to) => to.startsWith("@pulumi/pulumi"));
      expect(
        pulumi.filter((to) => !to.startsWith("@pulumi/pulumi/proto/")),
        entry,
      ).toEqual([]);
    }
    expect(crossings(reachable(["cli/bin.ts"]), { folders: ["sdk", "plugin"], packages: ["@pulumi/pulumi"] })).toEqual(
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
    expect(graph.files).toContain("provider/framework/registry.ts");
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
      "cli/bin.ts",
      "plugin/main.ts",
    ])
      expect(crossings(reachable([entry]), { folders: ["test"] }), entry).toEqual([]);
  });

  it("the core keeps no module-level mutable state: what lives longer than a call belongs to a Connection", () => {
    const graph = reachable(PROVIDER_ENTRIES);
    const found = graph.files
      .filter((f) => f.startsWith("provider/"))
      .flatMap((f) => moduleLevelState(readFileSync(path.join(ROOT, f), "utf8")).map((line) => `${f}: ${line}`));
    expect(found).toEqual([]);
  });

  it("finds module-level mutable state: a let, a var, a Map or Set not typed read-only", () => {
    const source = [
      "let cached: string | undefined;",
      "const seen = new Set<string>();",
      "export const byName: Map<string, number> = new Map();",
      "const FIXED: ReadonlySet<string> = new Set(['a']);",
      "function f() {\n  let local = 1;\n  const inner = new Map();\n}",
    ].join("\n");
    expect(moduleLevelState(source)).toEqual([
      "let cached: string | undefined;",
      "const seen = new Set<string>();",
      "export const byName: Map<string, number> = new Map();",
    ]);
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

  it("finds a circle of imports", () => {
    const fake: Record<string, string> = {
      [path.join(ROOT, "provider/a.ts")]: 'import { b } from "./b";',
      [path.join(ROOT, "provider/b.ts")]: 'import type { C } from "./c";',
      [path.join(ROOT, "provider/c.ts")]: 'import { a } from "./a";',
    };
    const graph = reachable(["provider/a.ts"], { read: (f) => fake[f] ?? "", exists: (f) => f in fake });
    expect(circles(graph)).toEqual(["provider/a.ts -> provider/b.ts -> provider/c.ts -> provider/a.ts"]);
  });
});
