#!/usr/bin/env node
// `npm test`: ensure the pulumi CLI, build, run the unit + emulator conformance suites (vitest) and the engine suite
// (node --test on compiled JS, real pulumi CLI) on this machine's Node when it is a supported one, then the engine
// suite again on each supported Node.js runtime (fetched once into the cache), and print one tally. Exit code 1 if
// anything failed.
//   --only-node 24     just the engine leg on Node 24 (no vitest, no machine-Node leg)
//   PEK_NODE_LEGS="24" which extra runtimes to run (default: every supported one; "" for none)
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, existsSync, rmSync } from "node:fs";
import * as path from "node:path";
import { problemWith, SUPPORTED_MAJORS } from "./check-node.mjs";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const results = path.join(root, ".test-results");
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });
const step = (title) => console.log(`\n=== ${title}`);
const started = Date.now();
const seconds = (since) => `${Math.round((Date.now() - since) / 1000)} s`;

/**
 * The Node.js majors the package supports (package.json `engines`), each tested by an engine leg: the current LTS
 * runs the whole engine suite; the other runs what users run first (the packed package, the examples, the smoke
 * test), which keeps a full CI run well under 30 minutes.
 */
const NODE_LEGS = { 24: undefined, 22: ["packed-package", "examples", "engine-smoke"] };
const SUPPORTED_NODES = Object.keys(NODE_LEGS).sort().reverse();
/**
 * Engine test files about another language's toolchain (Maven and the JVM for Java), whose Node.js part every other
 * file covers on each runtime: they run once, in the machine-Node leg (a Java run takes about 3 minutes).
 */
const MACHINE_LEG_ONLY = ["java-program"];
const onlyNode = process.argv.includes("--only-node") ? process.argv[process.argv.indexOf("--only-node") + 1] : "";
const legs = onlyNode
  ? [onlyNode]
  : process.env.PEK_NODE_LEGS !== undefined
    ? process.env.PEK_NODE_LEGS.split(/[\s,]+/).filter(Boolean)
    : SUPPORTED_NODES;

/**
 * Engine test files run side by side: most of their time is spent waiting on the CLI and its plugins, and each file
 * has its own emulator, stacks and temp dirs. PEK_TEST_CONCURRENCY=1 runs them one at a time.
 */
const CONCURRENCY = Number(process.env.PEK_TEST_CONCURRENCY ?? 2);

function ensure(script, args = []) {
  // Progress on our stderr; the script prints only its result on stdout.
  return execFileSync("bash", [path.join(root, "scripts", script), ...args], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  }).trim();
}

step("pulumi CLI");
let t0 = Date.now();
const cli = ensure("ensure-pulumi-cli.sh");
const version = execFileSync(cli, ["version"], {
  encoding: "utf8",
  env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
}).trim();
console.log(`using ${cli} (${version}), ready in ${seconds(t0)}`);
const env = { ...process.env, PULUMI_CLI_PATH: cli };

step("YAML language host (for the native plugin's YAML programs)");
t0 = Date.now();
console.log(`using ${ensure("ensure-yaml-host.sh", [path.dirname(cli)])}, ready in ${seconds(t0)}`);

step("SDK generator (checks the committed plugin/sdks) and Python virtualenv (runs the Python SDK test)");
t0 = Date.now();
const sdkgen = ensure("ensure-sdkgen.sh");
const python = ensure("ensure-python-env.sh");
console.log(`using ${sdkgen} and ${python}, ready in ${seconds(t0)}`);

step("Java: language host, SDK generator and Maven repository (run the Java SDK test, check plugin/sdks/java)");
t0 = Date.now();
const javaHost = ensure("ensure-java-host.sh", [path.dirname(cli)]);
const javaSdkgen = ensure("ensure-java-sdkgen.sh");
const mavenRepo = ensure("ensure-java-env.sh");
console.log(`using ${javaHost}, ${javaSdkgen} and ${mavenRepo}, ready in ${seconds(t0)}`);

step("build (tsc)");
const build = spawnSync("npm", ["run", "-s", "build"], { cwd: root, stdio: "inherit", env });
if (build.status !== 0) {
  console.log("\nbuild failed: 0 passed, 1 failed");
  process.exit(1);
}

const tallies = [];

function runVitest() {
  step(`unit and emulator conformance tests (vitest, Node ${process.version})`);
  const since = Date.now();
  const vitestJson = path.join(results, "vitest.json");
  spawnSync(
    path.join(root, "node_modules/.bin/vitest"),
    ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestJson}`],
    { cwd: root, stdio: "inherit", env },
  );
  const v = existsSync(vitestJson) ? JSON.parse(readFileSync(vitestJson, "utf8")) : undefined;
  tallies.push({
    name: `unit+conformance (vitest, Node ${process.version})`,
    passed: v?.numPassedTests ?? 0,
    failed: v ? v.numFailedTests + (v.success ? 0 : v.numFailedTestSuites) : 1,
    skipped: v ? v.numPendingTests + v.numTodoTests : 0,
    time: seconds(since),
  });
}

function runEngine(node, label, only, skip = []) {
  step(`engine tests on the real pulumi CLI (node --test, ${label})`);
  const since = Date.now();
  const engineDir = path.join(root, "dist/test/engine");
  const tap = path.join(results, `engine-${label.replace(/\W+/g, "-")}.tap`);
  const files = existsSync(engineDir)
    ? execFileSync("find", [engineDir, "-name", "*.test.js"], { encoding: "utf8" })
        .split("\n")
        .filter((f) => f && (!only || only.includes(path.basename(f, ".test.js"))))
        .filter((f) => !skip.includes(path.basename(f, ".test.js")))
        .sort()
    : [];
  // The runtime under test must also be the `node` the dynamic-provider plugin and npm start: first on PATH.
  const run = spawnSync(
    node,
    [
      "--test",
      `--test-concurrency=${CONCURRENCY}`,
      "--test-timeout=300000",
      "--test-reporter=spec",
      "--test-reporter-destination=stdout",
      "--test-reporter=tap",
      `--test-reporter-destination=${tap}`,
      ...files,
    ],
    { cwd: root, stdio: "inherit", env: { ...env, PATH: `${path.dirname(node)}${path.delimiter}${env.PATH}` } },
  );
  const text = existsSync(tap) ? readFileSync(tap, "utf8") : "";
  const count = (name) => Number(text.match(new RegExp(`^# ${name} (\\d+)`, "m"))?.[1] ?? 0);
  tallies.push({
    name: `engine (${label})`,
    passed: count("pass"),
    failed: count("fail") + count("cancelled") + (run.status !== 0 && count("fail") === 0 ? 1 : 0),
    skipped: count("skipped") + count("todo"),
    time: seconds(since),
  });
}

if (!onlyNode) {
  runVitest();
  // The engine suite runs on supported runtimes only: on another one (Node 20, say) it would test what no user may
  // run; the legs below fetch the supported ones.
  if (problemWith(process.versions.node))
    console.log(
      `\nmachine Node ${process.version} is not a supported runtime (${SUPPORTED_MAJORS.join(", ")}): its engine leg is skipped; the engine suite runs on the supported ones below`,
    );
  else runEngine(process.execPath, `machine Node ${process.version}`);
}
for (const major of legs) {
  if (!SUPPORTED_NODES.includes(major)) {
    console.log(`\nNode ${major} is not a supported runtime (${SUPPORTED_NODES.join(", ")})`);
    tallies.push({ name: `Node ${major}`, passed: 0, failed: 1, skipped: 0, time: "0 s" });
    continue;
  }
  step(`Node.js ${major}`);
  t0 = Date.now();
  const node = ensure("ensure-node.sh", [major]);
  const nodeVersion = execFileSync(node, ["--version"], { encoding: "utf8" }).trim();
  console.log(`using ${node} (${nodeVersion}), ready in ${seconds(t0)}`);
  const only = NODE_LEGS[major];
  runEngine(node, `Node ${nodeVersion}${only ? `: ${only.join(", ")}` : ""}`, only, MACHINE_LEG_ONLY);
}

const total = tallies.reduce(
  (a, t) => ({ passed: a.passed + t.passed, failed: a.failed + t.failed, skipped: a.skipped + t.skipped }),
  {
    passed: 0,
    failed: 0,
    skipped: 0,
  },
);
console.log(`\n=== summary (pulumi ${version}, ${seconds(started)} in all)`);
for (const t of tallies)
  console.log(`${`${t.name}:`.padEnd(52)} ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped (${t.time})`);
console.log(`total: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed > 0 || total.passed === 0 ? 1 : 0);
