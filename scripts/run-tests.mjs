#!/usr/bin/env node
// `npm test`: ensure the pulumi CLI, build, run the unit + emulator suites (vitest) and the engine suite
// (node --test on compiled JS, real pulumi CLI), then print one tally. Exit code 1 if anything failed.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, existsSync, rmSync } from "node:fs";
import * as path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const results = path.join(root, ".test-results");
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });
const step = (title) => console.log(`\n=== ${title}`);

step("pulumi CLI");
const cli = execFileSync("bash", [path.join(root, "scripts/ensure-pulumi-cli.sh")], {
  encoding: "utf8",
  stdio: ["ignore", "pipe", "inherit"],
}).trim();
const version = execFileSync(cli, ["version"], {
  encoding: "utf8",
  env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
}).trim();
console.log(`using ${cli} (${version})`);
const env = { ...process.env, PULUMI_CLI_PATH: cli };

step("build (tsc)");
const build = spawnSync(path.join(root, "node_modules/.bin/tsc"), ["-p", "tsconfig.json"], {
  cwd: root,
  stdio: "inherit",
  env,
});
if (build.status !== 0) {
  console.log("\nbuild failed: 0 passed, 1 failed");
  process.exit(1);
}

step("unit and emulator conformance tests (vitest)");
const vitestJson = path.join(results, "vitest.json");
spawnSync(
  path.join(root, "node_modules/.bin/vitest"),
  ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestJson}`],
  { cwd: root, stdio: "inherit", env },
);
const v = existsSync(vitestJson) ? JSON.parse(readFileSync(vitestJson, "utf8")) : undefined;
const unit = v
  ? {
      passed: v.numPassedTests,
      failed: v.numFailedTests + (v.success ? 0 : v.numFailedTestSuites),
      skipped: v.numPendingTests + v.numTodoTests,
    }
  : { passed: 0, failed: 1, skipped: 0 };

step("engine tests on the real pulumi CLI (node --test, compiled JS)");
const engineDir = path.join(root, "dist/test/engine");
const tap = path.join(results, "engine.tap");
const engineFiles = existsSync(engineDir)
  ? execFileSync("find", [engineDir, "-name", "*.test.js"], { encoding: "utf8" }).split("\n").filter(Boolean).sort()
  : [];
const engineRun = spawnSync(
  process.execPath,
  [
    "--test",
    "--test-timeout=300000",
    "--test-reporter=spec",
    "--test-reporter-destination=stdout",
    "--test-reporter=tap",
    `--test-reporter-destination=${tap}`,
    ...engineFiles,
  ],
  { cwd: root, stdio: "inherit", env },
);
const count = (name) =>
  Number((existsSync(tap) ? readFileSync(tap, "utf8") : "").match(new RegExp(`^# ${name} (\\d+)`, "m"))?.[1] ?? 0);
const engine = {
  passed: count("pass"),
  failed: count("fail") + count("cancelled") + (engineRun.status !== 0 && count("fail") === 0 ? 1 : 0),
  skipped: count("skipped") + count("todo"),
};

const total = {
  passed: unit.passed + engine.passed,
  failed: unit.failed + engine.failed,
  skipped: unit.skipped + engine.skipped,
};
console.log(`\n=== summary (pulumi ${version})`);
console.log(`unit+emulator (vitest): ${unit.passed} passed, ${unit.failed} failed, ${unit.skipped} skipped`);
console.log(`engine (node --test):   ${engine.passed} passed, ${engine.failed} failed, ${engine.skipped} skipped`);
console.log(`total: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed > 0 || total.passed === 0 ? 1 : 0);
