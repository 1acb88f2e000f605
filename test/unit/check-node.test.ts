// scripts/check-node.mjs: an unsupported Node.js is refused before `npm start` does anything (npm only warns about
// `engines`), with what to do; `npm test` skips the machine's engine leg on one (scripts/run-tests.mjs).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

const root = path.join(__dirname, "..", "..");
const script = path.join(root, "scripts", "check-node.mjs");
interface CheckNode {
  SUPPORTED_MAJORS: number[];
  problemWith(version: string): string | undefined;
}
const load = (): Promise<CheckNode> => import(pathToFileURL(script).href) as Promise<CheckNode>;

describe("check-node.mjs", () => {
  it("accepts the majors package.json engines names and refuses others, saying what to install", async () => {
    const { SUPPORTED_MAJORS, problemWith } = await load();
    const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { engines: { node: string } };
    expect(pkg.engines.node).toBe("^22 || ^24");
    expect(SUPPORTED_MAJORS).toEqual([22, 24]);
    for (const ok of ["22.23.5", "24.22.3", "22.0.0"]) expect(problemWith(ok)).toBeUndefined();
    for (const refused of ["20.20.2", "18.19.0", "23.1.0", "25.0.0"]) {
      const problem = problemWith(refused) ?? "";
      expect(problem).toContain(`needs Node.js 22 or 24 (package.json engines); this is Node.js v${refused}`);
      expect(problem).toContain('export PATH="$(dirname "$(bash scripts/ensure-node.sh 24)")":"$PATH"');
    }
  });

  it("is npm start's first step, and exits non-zero with the reason on this machine's Node exactly when it is unsupported", async () => {
    const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: { start: string } };
    expect(pkg.scripts.start.startsWith("node scripts/check-node.mjs && ")).toBe(true);
    const { problemWith } = await load();
    const run = spawnSync(process.execPath, [script], { encoding: "utf8" });
    const problem = problemWith(process.versions.node);
    expect(run.status).toBe(problem ? 1 : 0);
    expect(run.stderr).toBe(problem ? `${problem}\n` : "");
  });
});
