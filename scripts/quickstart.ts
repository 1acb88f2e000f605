// `npm start`: the quickstart stack (examples/quickstart) through `pulumi up` on the real engine, against the
// embedded Elastic emulator. Shows the engine's progress, the outputs with keys masked, proves a created key
// authenticates, says what to do next, then destroys the stack (or keeps everything running with --keep).
import { mkdirSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { startEmulator } from "../emulator";
import { exampleProgram, exampleProjectName } from "./lib/examples";
import { nodejsPluginDir, pulumiCliPath, REPO_ROOT } from "./lib/pulumi-cli";
import { pulumiCommand } from "./lib/stack";

const keep = process.argv.includes("--keep");
const say = (s = "") => process.stdout.write(`${s}\n`);

async function main(): Promise<void> {
  say("pulumi-elastic-keys quickstart");
  say(`1/5  pulumi CLI: ${pulumiCliPath()}`);
  const emulator = await startEmulator();
  say(
    `2/5  Elastic emulator: Elasticsearch ${emulator.esUrl}, Kibana ${emulator.kibanaUrl} (user ${emulator.superuser.username})`,
  );

  const auth = `Basic ${Buffer.from(`${emulator.superuser.username}:${emulator.superuser.password}`).toString("base64")}`;
  const policy = await fetch(`${emulator.kibanaUrl}/api/fleet/agent_policies`, {
    method: "POST",
    headers: { authorization: auth, "content-type": "application/json", "kbn-xsrf": "quickstart" },
    body: JSON.stringify({ name: "edge-hosts", namespace: "default" }),
  });
  const policyId = ((await policy.json()) as { item: { id: string } }).item.id;
  say(`3/5  Fleet agent policy "edge-hosts": ${policyId}`);

  const stateDir = keep ? path.join(REPO_ROOT, ".quickstart") : path.join(os.tmpdir(), `pek-quickstart-${process.pid}`);
  rmSync(stateDir, { recursive: true, force: true });
  mkdirSync(path.join(stateDir, "backend"), { recursive: true });
  const env: Record<string, string> = {
    PULUMI_BACKEND_URL: `file://${path.join(stateDir, "backend")}`,
    PULUMI_CONFIG_PASSPHRASE: "quickstart",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_HOME: path.join(stateDir, "home"),
    PATH: `${nodejsPluginDir()}${path.delimiter}${process.env.PATH ?? ""}`,
    ELASTICSEARCH_ENDPOINTS: emulator.esUrl,
    KIBANA_ENDPOINT: emulator.kibanaUrl,
    ELASTICSEARCH_USERNAME: emulator.superuser.username,
    ELASTICSEARCH_PASSWORD: emulator.superuser.password,
  };
  process.chdir(REPO_ROOT);
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: "dev", projectName: exampleProjectName("quickstart"), program: exampleProgram("quickstart") },
    { pulumiCommand: await pulumiCommand(), envVars: env, pulumiHome: env.PULUMI_HOME },
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

  const envLine = `PULUMI_BACKEND_URL=${env.PULUMI_BACKEND_URL} PULUMI_CONFIG_PASSPHRASE=quickstart PULUMI_HOME=${env.PULUMI_HOME}`;
  say("\nWhat next");
  say(
    "  - Reveal a secret:   pulumi stack output agentKeyEncoded --show-secrets   (with the env below, from the repo root)",
  );
  say("  - Destroy:           pulumi destroy   (the quickstart destroys its stack by itself unless you pass --keep)");
  say(
    "  - A real cluster:    in your own Pulumi project, `npm install pulumi-elastic-keys`, copy examples/quickstart/index.ts,",
  );
  say("                       then: pulumi config set elastic:elasticsearchEndpoints https://es.example:9200");
  say("                             pulumi config set elastic:kibanaEndpoint https://kibana.example:5601");
  say("                             pulumi config set elastic:elasticsearchUsername <user with manage_security>");
  say("                             pulumi config set --secret elastic:elasticsearchPassword <password>");
  say("                             pulumi config set policyId <your Fleet agent policy id> && pulumi up");
  say(
    "    (or export ELASTICSEARCH_ENDPOINTS / KIBANA_ENDPOINT / ELASTICSEARCH_USERNAME / ELASTICSEARCH_PASSWORD; see README)",
  );
  if (keep) {
    say(
      `\n--keep: the emulator keeps running and the stack stays. Env for the pulumi CLI (project dir: examples/quickstart):\n  ${envLine}`,
    );
    say(`  CLI: ${pulumiCliPath()}\nPress Ctrl-C to stop the emulator.`);
    await new Promise<void>((resolve) => process.once("SIGINT", resolve));
  } else {
    say("\nDestroying the quickstart stack (pass --keep to keep it and the emulator running)...");
    const destroyed = await stack.destroy({ onOutput: () => {} });
    say(
      `     destroy: ${destroyed.summary.result}, ${destroyed.summary.resourceChanges?.delete ?? 0} resources deleted`,
    );
    await stack.workspace.removeStack("dev");
    rmSync(stateDir, { recursive: true, force: true });
    rmSync((stack.workspace as LocalWorkspace).workDir, { recursive: true, force: true }); // Automation's temp project dir
  }
  await emulator.stop();
}

main().catch((err: unknown) => {
  process.stderr.write(`quickstart failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
