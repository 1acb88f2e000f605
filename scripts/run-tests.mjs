#!/usr/bin/env node
// `npm test`: ensure the pulumi CLI, build, run the unit, conformance and lifecycle suites (vitest), the compiled
// tier (test/compiled: node --test on compiled JS, no CLI) and the engine suite (node --test on compiled JS, real
// pulumi CLI) on this machine's Node (the engine suite only when it is a supported one), then the compiled tier and
// the engine suite again on each supported Node.js runtime (fetched once into the cache), and print one tally. Exit code 1 if anything failed: a test, or a runner
// that exited non-zero or was killed although its report counts no failure (scripts/lib/test-tally.ts).
// The engine suite emulates Elasticsearch and Kibana 9.2 (test/support/target.ts FULL_SUITE_VERSION); version legs
// then run the resource-promise files at the other edges of the supported range (README, Tested against).
//   --only-node 24     just the Node 24 legs (no vitest, no machine-Node legs, no version legs)
//   PEK_NODE_LEGS="24" which extra runtimes to run (default: every supported one; "" for none)
//   PEK_VERSION_LEGS="8.14.0" which version legs to run (default: every one of VERSION_LEGS; "" for none)
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, existsSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
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
/**
 * The versions the resource promises are proven at besides the full suite's 9.2: the oldest supported 8.x, the last
 * 8.x minor and 9.0. Each runs RESOURCE_PROMISE_FILES (create, refresh, drift, rotation, destroy, least privilege, lost
 * answers) on the current LTS Node; their tests of what no version changes (`sameAtEveryVersion`: preview validation,
 * adoption, spaces, expiry) run at 9.2 only, which keeps a version leg to about two minutes.
 */
const VERSION_LEGS = ["8.14.0", "8.19.0", "9.0.0"];
const RESOURCE_PROMISE_FILES = ["apm-role", "apm-agent-key", "cross-cluster-api-key", "enrollment-api-key"];
/** One runner per file: a version leg takes as long as its longest file. */
const VERSION_LEG_CONCURRENCY = RESOURCE_PROMISE_FILES.length;
const onlyNode = process.argv.includes("--only-node") ? process.argv[process.argv.indexOf("--only-node") + 1] : "";
const legs = onlyNode
  ? [onlyNode]
  : process.env.PEK_NODE_LEGS !== undefined
    ? process.env.PEK_NODE_LEGS.split(/[\s,]+/).filter(Boolean)
    : SUPPORTED_NODES;
const versionLegs = onlyNode
  ? []
  : process.env.PEK_VERSION_LEGS !== undefined
    ? process.env.PEK_VERSION_LEGS.split(/[\s,]+/).filter(Boolean)
    : VERSION_LEGS;

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
rmSync(path.join(root, "dist/test"), { recursive: true, force: true }); // a test removed from the sources must not run
const build = spawnSync("npm", ["run", "-s", "build"], { cwd: root, stdio: "inherit", env });
if (build.status !== 0) {
  const why = build.signal ? `killed by ${build.signal}` : `exited ${build.status}`;
  console.log(`\nbuild failed (npm run build ${why}): 0 passed, 1 failed`);
  process.exit(1);
}
// The tally is TypeScript (unit-tested in test/unit/test-tally.test.ts), compiled by the build above.
const { runLeg, summarize } = createRequire(import.meta.url)(path.join(root, "dist/scripts/lib/test-tally.js"));

/** The unit, conformance and lifecycle tests, from TypeScript sources. */
function vitestLeg() {
  const file = path.join(results, "vitest.json");
  return {
    name: `unit+conformance+lifecycle (vitest, Node ${process.version})`,
    title: `unit, emulator conformance and lifecycle tests (vitest, Node ${process.version})`,
    command: path.join(root, "node_modules/.bin/vitest"),
    args: ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${file}`],
    cwd: root,
    env,
    report: { format: "vitest-json", file },
  };
}

/** The compiled test files of a tier (all, or those named in `only`), but those named in `skip`. */
function compiledTests(tier, only, skip = []) {
  const dir = path.join(root, "dist/test", tier);
  return existsSync(dir)
    ? execFileSync("find", [dir, "-name", "*.test.js"], { encoding: "utf8" })
        .split("\n")
        .filter((f) => f && (!only || only.includes(path.basename(f, ".test.js"))))
        .filter((f) => !skip.includes(path.basename(f, ".test.js")))
        .sort()
    : [];
}

/**
 * A node --test leg on the given Node runtime: the engine tier (all files, or those named in `only`, but those in
 * `skip`) on the real pulumi CLI, or the compiled tier (test/compiled: no CLI, but Node's own module loader, e.g. the
 * provider shim).
 */
function nodeTestLeg(node, label, tier, only, skip, extraEnv = {}, concurrency = CONCURRENCY) {
  const file = path.join(results, `${tier}-${label.replace(/\W+/g, "-")}.tap`);
  const files = compiledTests(tier, only, skip);
  return {
    name: `${tier} (${label})`,
    title:
      tier === "engine"
        ? `engine tests on the real pulumi CLI (node --test, ${label})`
        : `tests on compiled JavaScript, no CLI (node --test, ${label})`,
    command: node,
    args: [
      "--test",
      `--test-concurrency=${concurrency}`,
      "--test-timeout=300000",
      "--test-reporter=spec",
      "--test-reporter-destination=stdout",
      "--test-reporter=tap",
      `--test-reporter-destination=${file}`,
      ...files,
    ],
    cwd: root,
    // The runtime under test must also be the `node` the dynamic-provider plugin and npm start: first on PATH.
    env: { ...env, ...extraEnv, PATH: `${path.dirname(node)}${path.delimiter}${env.PATH}` },
    report: { format: "tap", file },
    // node --test given no file runs every test it finds: a leg without files is a failure instead.
    noFiles: files.length === 0 ? `no ${tier} test files in dist/test/${tier}` : undefined,
  };
}

/** Every leg of this run, in order; each is one runner process whose report and exit are tallied. */
const runnerLegs = [];
const tallies = [];
/** The node --test legs of one runtime: the compiled tier on every runtime, then its engine tests. */
const runtimeLegs = (node, label, only, skip) => [
  nodeTestLeg(node, label, "compiled"),
  nodeTestLeg(node, `${label}${only ? `: ${only.join(", ")}` : ""}`, "engine", only, skip),
];
// The engine suite runs on supported runtimes only: on another one (Node 20, say) it would test what no user may
// run. The fetched runtimes below run it then, the full leg taking the machine leg's own files (Java) as well.
const machineEngine = !problemWith(process.versions.node);
/** The runtimes fetched for this run, by major. */
const fetchedNodes = {};
if (!onlyNode) {
  const label = `machine Node ${process.version}`;
  if (machineEngine) runnerLegs.push(vitestLeg(), ...runtimeLegs(process.execPath, label));
  else {
    console.log(
      `\n${label} is not a supported runtime (${SUPPORTED_MAJORS.join(", ")}): its engine leg is skipped; the engine suite runs on the supported ones below`,
    );
    runnerLegs.push(vitestLeg(), nodeTestLeg(process.execPath, label, "compiled"));
  }
}
for (const major of legs) {
  if (!SUPPORTED_NODES.includes(major)) {
    const problem = `Node ${major} is not a supported runtime (${SUPPORTED_NODES.join(", ")})`;
    console.log(`\n${problem}`);
    tallies.push({ name: `Node ${major}`, passed: 0, failed: 1, skipped: 0, problems: [problem], seconds: 0 });
    continue;
  }
  step(`Node.js ${major}`);
  t0 = Date.now();
  const node = ensure("ensure-node.sh", [major]);
  const nodeVersion = execFileSync(node, ["--version"], { encoding: "utf8" }).trim();
  fetchedNodes[major] = node;
  console.log(`using ${node} (${nodeVersion}), ready in ${seconds(t0)}`);
  const only = NODE_LEGS[major];
  const skip = !onlyNode && !machineEngine && only === undefined ? undefined : MACHINE_LEG_ONLY;
  runnerLegs.push(...runtimeLegs(node, `Node ${nodeVersion}`, only, skip));
}

// The version legs, on the first supported runtime the run has (the machine's, else the fetched current LTS).
const versionNode = machineEngine && !onlyNode ? process.execPath : fetchedNodes[SUPPORTED_NODES[0]];
for (const esVersion of versionLegs) {
  if (!versionNode) {
    // As the machine's engine leg on an unsupported Node: nothing here could run what users run.
    console.log(`\nElastic ${esVersion}: no supported Node.js runtime in this run (PEK_NODE_LEGS), its leg is skipped`);
    continue;
  }
  runnerLegs.push(
    nodeTestLeg(
      versionNode,
      `Elastic ${esVersion}: resource promises`,
      "engine",
      RESOURCE_PROMISE_FILES,
      [],
      { ELASTIC_KEYS_EMULATOR_VERSION: esVersion },
      VERSION_LEG_CONCURRENCY,
    ),
  );
}

for (const leg of runnerLegs) {
  step(leg.title);
  if (leg.noFiles) console.log(leg.noFiles);
  tallies.push(
    leg.noFiles
      ? { name: leg.name, passed: 0, failed: 1, skipped: 0, problems: [leg.noFiles], seconds: 0 }
      : runLeg(leg),
  );
}

const { lines, exitCode } = summarize(tallies);
console.log(`\n=== summary (pulumi ${version}, ${seconds(started)} in all)`);
for (const line of lines) console.log(line);
process.exit(exitCode);
