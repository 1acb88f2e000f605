// The published package works when installed the way users install it: `npm pack`, install the tarball into a
// fresh Pulumi project outside this repository, and up/destroy from that project's directory — so the serialized
// provider must load the implementation by package name from the project's node_modules.
import { after, before, test } from "node:test";
import * as assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { authenticatesAs, keyById } from "../support/elastic-checks";
import { nodejsPluginDir, pulumiCliPath, REPO_ROOT } from "../../scripts/lib/pulumi-cli";
import { installPackedPackage } from "../../scripts/lib/packed";
import { PASSPHRASE } from "../../scripts/lib/stack";
import { useTarget, unique } from "../support/target";

const t = useTarget({ before, after });

// Runs inside the fresh project: only that project's node_modules are visible to it.
const USER_SCRIPT = `
const { LocalWorkspace, PulumiCommand } = require("@pulumi/pulumi/automation");
const path = require("path");
(async () => {
  const elastic = require("pulumi-elastic-keys");
  const cmd = await PulumiCommand.get({ root: path.dirname(path.dirname(process.env.PULUMI_CLI_PATH)) });
  const program = async () => {
    const key = new elastic.ApmAgentKey("svc", { name: process.env.KEY_NAME, privileges: ["event:write"] });
    return { keyId: key.keyId, encoded: key.encoded };
  };
  const stack = await LocalWorkspace.createOrSelectStack({ stackName: "dev", projectName: "packed-user", program }, { pulumiCommand: cmd });
  const up = await stack.up();
  const state = JSON.stringify((await stack.exportStack()).deployment);
  const provider = JSON.parse(state).resources.find((r) => r.type.endsWith(":ApmAgentKey")).inputs.__provider;
  const destroy = await stack.destroy();
  require("fs").rmSync(stack.workspace.workDir, { recursive: true, force: true });
  console.log(JSON.stringify({ keyId: up.outputs.keyId.value, encoded: up.outputs.encoded.value, created: up.summary.resourceChanges.create, deleted: destroy.summary.resourceChanges.delete, provider }));
})().catch((e) => { console.error(e); process.exit(1); });
`;

test("the npm-packed package installs into a fresh project and runs up and destroy from there", async (tc) => {
  const { work, project } = installPackedPackage("registry");
  tc.after(() => rmSync(work, { recursive: true, force: true }));
  writeFileSync(path.join(project, "deploy.js"), USER_SCRIPT);
  const keyName = unique("packed");
  // Async: the emulator serves from this very process, so its event loop must stay free.
  const { stdout: out } = await promisify(execFile)(process.execPath, ["deploy.js"], {
    cwd: project,
    encoding: "utf8",
    env: {
      ...process.env,
      ...t.providerEnv(),
      KEY_NAME: keyName,
      PULUMI_CLI_PATH: pulumiCliPath(),
      PULUMI_BACKEND_URL: `file://${work}`,
      PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
      PULUMI_HOME: path.join(work, ".pulumi"),
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PATH: `${nodejsPluginDir()}${path.delimiter}${process.env.PATH}`,
    },
  });
  const result = JSON.parse(out.trim().split("\n").pop()!) as {
    keyId: string;
    encoded: string;
    created: number;
    deleted: number;
    provider: string;
  };
  assert.equal(result.created, 2);
  assert.equal(result.deleted, 2);
  // Installed under node_modules, the entry module itself is the provider: the serializer stores a bare require by
  // package subpath (sdk/dynamic.ts), which the provider process resolves from the project's node_modules.
  assert.match(result.provider, /require\("pulumi-elastic-keys\/provider\/apm-agent-key"\)/, "by package name");
  assert.ok(result.provider.length < 400, `__provider is ${result.provider.length} bytes:\n${result.provider}`);
  assert.ok(!result.provider.includes(REPO_ROOT), "no path into this repository");
  assert.equal(
    (await keyById(t, result.keyId))?.invalidated,
    true,
    "destroy from the user's project invalidated the key",
  );
  assert.equal(await authenticatesAs(t, result.encoded), undefined);
});

test("an installed copy that the project or @pulumi/pulumi cannot resolve by name falls back to the shim (no bare require that would fail)", async (tc) => {
  const keysFrom = (project: string, cwd: string) => {
    const dynamic = path.join(project, "node_modules", "pulumi-elastic-keys", "dist", "sdk", "dynamic.js");
    const script = `console.log(Object.keys(require(${JSON.stringify(dynamic)}).dynamicProvider("ApmRole", true)).join(" "))`;
    return execFileSync(process.execPath, ["-e", script], { cwd, encoding: "utf8" }).trim();
  };
  const user = installPackedPackage("registry");
  tc.after(() => rmSync(user.work, { recursive: true, force: true }));
  // From the project: the entry module itself (its exports are the provider's operations).
  assert.match(keysFrom(user.project, user.project), /\bcheck\b.*\bcreate\b.*\bdelete\b.*\bconfigure\b/);
  // From a directory whose node_modules lack the package (a copy nested under another dependency looks the same).
  assert.equal(keysFrom(user.project, mkdtempSync(path.join(user.work, "elsewhere-"))), "n a m configure");
  // @pulumi/pulumi linked from this repository: the serializer, there, could not map the module to its package name.
  const linked = installPackedPackage("repository");
  tc.after(() => rmSync(linked.work, { recursive: true, force: true }));
  assert.equal(keysFrom(linked.project, linked.project), "n a m configure");
});
