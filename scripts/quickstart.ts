// `npm start`: the quickstart stack (examples/quickstart) through `pulumi up` on the real engine, against the
// embedded Elastic emulator. Shows the engine's progress, the outputs with keys masked, proves a created key
// authenticates, says what to do next, then destroys the stack (or keeps everything running with --keep).
import { createAgentPolicy, emulatorKibana } from "./lib/agent-policy";
import { mkdirSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { startEmulator } from "../emulator";
import { exampleProgram, exampleProjectName } from "./lib/examples";
import { pulumiCliPath, REPO_ROOT } from "./lib/pulumi-cli";
import { pulumiCommand } from "./lib/stack";

const keep = process.argv.includes("--keep");
const STACK = "dev";
const EXAMPLE_DIR = path.join(REPO_ROOT, "examples", "quickstart");
const KEEP_STATE_DIR = path.join(REPO_ROOT, ".quickstart");
/** The lines between these markers are commands, pasted as printed (test/engine/quickstart.test.ts). */
const HINTS_BEGIN = "# ---- paste from here ----";
const HINTS_END = "# ---- to here ----";
const say = (s = "") => process.stdout.write(`${s}\n`);

async function main(): Promise<void> {
  say("pulumi-elastic-keys quickstart");
  say(`1/5  pulumi CLI: ${pulumiCliPath()}`);
  const emulator = await startEmulator();
  say(
    `2/5  Elastic emulator: Elasticsearch ${emulator.esUrl}, Kibana ${emulator.kibanaUrl} (user ${emulator.superuser.username})`,
  );

  const policyId = await createAgentPolicy(emulatorKibana(emulator), "edge-hosts");
  say(`3/5  Fleet agent policy "edge-hosts": ${policyId}`);

  // With --keep, the stack lives in the example's own folder (its Pulumi.yaml, and its config in Pulumi.dev.yaml)
  // and its state in .quickstart/ (both git-ignored, both removed when the kept quickstart stops), so the pulumi
  // CLI finds it there with the env printed below.
  const stateDir = keep ? KEEP_STATE_DIR : path.join(os.tmpdir(), `pek-quickstart-${process.pid}`);
  rmSync(stateDir, { recursive: true, force: true });
  mkdirSync(path.join(stateDir, "backend"), { recursive: true });
  const env: Record<string, string> = {
    PULUMI_BACKEND_URL: `file://${path.join(stateDir, "backend")}`,
    PULUMI_CONFIG_PASSPHRASE: "quickstart",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_HOME: path.join(stateDir, "home"),
    ELASTICSEARCH_ENDPOINTS: emulator.esUrl,
    KIBANA_ENDPOINT: emulator.kibanaUrl,
    ELASTICSEARCH_USERNAME: emulator.superuser.username,
    ELASTICSEARCH_PASSWORD: emulator.superuser.password,
  };
  process.chdir(REPO_ROOT);
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: STACK, projectName: exampleProjectName("quickstart"), program: exampleProgram("quickstart") },
    {
      pulumiCommand: await pulumiCommand(),
      envVars: env,
      pulumiHome: env.PULUMI_HOME,
      ...(keep ? { workDir: EXAMPLE_DIR } : {}),
    },
  );
  await stack.setConfig("policyId", { value: policyId });
  say("4/5  pulumi up:\n");
  const up = await stack.up({ onOutput: (s) => process.stdout.write(s) });

  say("\n5/5  outputs (secrets stay masked):");
  for (const [k, v] of Object.entries(up.outputs))
    say(`     ${k.padEnd(20)} ${v.secret ? "[secret]" : JSON.stringify(v.value)}`);
  const encoded = String(up.outputs.agentKeyEncoded.value);
  const who = await fetch(`${emulator.esUrl}/_security/_authenticate`, {
    headers: { authorization: `ApiKey ${encoded}` },
  });
  const identity = (await who.json()) as { api_key?: { id: string; name: string }; username: string };
  say(
    who.ok
      ? `\n     proof: the agent key authenticates — _authenticate answers api_key ${identity.api_key?.id} ("${identity.api_key?.name}"), owner ${identity.username}`
      : `\n     the agent key did NOT authenticate (HTTP ${who.status})`,
  );

  if (keep) {
    say(keptHints(env));
    await new Promise<void>((resolve) => process.once("SIGINT", resolve));
    say(
      "\nStopping the emulator; removing .quickstart/ and examples/quickstart/Pulumi.dev.yaml (the stack's state and config).",
    );
    removeKeptStack();
  } else {
    say(nextHints());
    say("\nDestroying the quickstart stack (npm start -- --keep keeps it and the emulator running)...");
    const destroyed = await stack.destroy({ onOutput: () => {} });
    say(
      `     destroy: ${destroyed.summary.result}, ${destroyed.summary.resourceChanges?.delete ?? 0} resources deleted`,
    );
    await stack.workspace.removeStack(STACK);
    rmSync(stateDir, { recursive: true, force: true });
    rmSync((stack.workspace as LocalWorkspace).workDir, { recursive: true, force: true }); // Automation's temp project dir
  }
  await emulator.stop();
}

/** What to try next after a run that destroyed its stack. */
function nextHints(): string {
  return [
    "\nWhat next",
    "  - Keep the stack and the emulator to try the pulumi CLI on them:   npm start -- --keep",
    '  - A real cluster: see README, "Installing into your own Pulumi project" (a TypeScript program of your own runs on',
    "    the official pulumi CLI, https://www.pulumi.com/docs/install/; the CLI built here runs YAML and Automation programs).",
  ].join("\n");
}

/**
 * The commands to paste into another terminal while the kept quickstart runs, each of which works as printed
 * (test/engine/quickstart.test.ts runs them): the env (the emulator's endpoints and password included), the CLI on
 * PATH, the stack selected, and what to try on it.
 */
function keptHints(env: Record<string, string>): string {
  const exported = Object.entries(env)
    .filter(([k]) => k !== "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION")
    .map(([k, v]) => `export ${k}=${shellQuote(v)}`);
  return [
    "\n--keep: the stack and the emulator keep running. In another terminal, from the repository root:",
    HINTS_BEGIN,
    `export PATH=${shellQuote(path.dirname(pulumiCliPath()))}:"$PATH"`,
    ...exported,
    "cd examples/quickstart",
    `pulumi stack select ${STACK}`,
    "pulumi stack output agentKeyEncoded --show-secrets",
    "pulumi refresh --yes",
    "node ../../dist/scripts/quickstart.js --preview   # `pulumi preview` of this TypeScript program (the CLI built here runs none itself; the official one does)",
    "pulumi destroy --yes",
    HINTS_END,
    "Ctrl-C stops the emulator and removes the kept stack (.quickstart/ and examples/quickstart/Pulumi.dev.yaml).",
  ].join("\n");
}

const shellQuote = (v: string) => (/^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`);

function removeKeptStack(): void {
  rmSync(KEEP_STATE_DIR, { recursive: true, force: true });
  rmSync(path.join(EXAMPLE_DIR, `Pulumi.${STACK}.yaml`), { force: true });
}

/**
 * `node dist/scripts/quickstart.js --preview`: `pulumi preview` of the kept stack, its program run by the Automation API (the CLI
 * built here runs no TypeScript program itself), with the env of the shell (the exported lines above) and the
 * stack's config in examples/quickstart.
 */
async function previewKept(): Promise<void> {
  const stack = await LocalWorkspace.selectStack(
    { stackName: STACK, projectName: exampleProjectName("quickstart"), program: exampleProgram("quickstart") },
    { pulumiCommand: await pulumiCommand(), workDir: EXAMPLE_DIR },
  );
  const preview = await stack.preview({ onOutput: (s) => process.stdout.write(s) });
  say(`\npreview: ${JSON.stringify(preview.changeSummary)}`);
}

(process.argv.includes("--preview") ? previewKept() : main()).catch((err: unknown) => {
  process.stderr.write(`quickstart failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
