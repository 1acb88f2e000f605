// The published package works when installed the way users install it: `npm pack` (from a clean clone too), install
// the tarball into a fresh Pulumi project outside this repository — also next to an older or a newer @pulumi/pulumi
// than ours — and up/preview/destroy from that project's directory, so the serialized provider must load the
// implementation by package name from the project's node_modules.
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { authenticatesAs, keyById } from "../support/elastic-checks";
import { assertProviderText } from "../support/provider-text";
import { pulumiCliPath, REPO_ROOT } from "../../scripts/lib/pulumi-cli";
import { installPackedPackage, installTarball, packCleanClone } from "../../scripts/lib/packed";
import { PASSPHRASE } from "../../scripts/lib/stack";
import { useTarget, unique } from "../support/target";

const t = useTarget({ before, after });

/** The oldest @pulumi/pulumi the package declares (`^3.139.0`: the dynamic-provider host calls `configure`). */
const OLDEST_PULUMI = "3.139.0";
/** Newer than the one this repository builds and tests with (package-lock.json). */
const NEWER_PULUMI = "3.276.0";

// Runs inside the fresh project with that project's own @pulumi/pulumi (its Automation API included): only the
// project's node_modules are visible to it. up, a preview that must show no change, destroy.
const USER_SCRIPT = `
const { LocalWorkspace, PulumiCommand } = require("@pulumi/pulumi/automation");
const path = require("path");
(async () => {
  const elastic = require("pulumi-elastic-keys");
  const cmd = await PulumiCommand.get({ root: path.dirname(path.dirname(process.env.PULUMI_CLI_PATH)) });
  const program = async () => {
    const role = new elastic.ApmRole("writer", { name: process.env.KEY_NAME + "-role" });
    const key = new elastic.ApmAgentKey("svc", { name: process.env.KEY_NAME, privileges: ["event:write"] });
    return { keyId: key.keyId, encoded: key.encoded, role: role.name };
  };
  const stack = await LocalWorkspace.createOrSelectStack({ stackName: "dev", projectName: "packed-user", program }, { pulumiCommand: cmd });
  const up = await stack.up();
  const state = JSON.stringify((await stack.exportStack()).deployment);
  const provider = JSON.parse(state).resources.find((r) => r.type.endsWith(":ApmAgentKey")).inputs.__provider;
  const preview = await stack.preview();
  const destroy = await stack.destroy();
  require("fs").rmSync(stack.workspace.workDir, { recursive: true, force: true });
  const sdkPulumi = require(require.resolve("@pulumi/pulumi/package.json", { paths: [path.dirname(require.resolve("pulumi-elastic-keys"))] })).version;
  console.log(JSON.stringify({ keyId: up.outputs.keyId.value, encoded: up.outputs.encoded.value, created: up.summary.resourceChanges.create, previewChanges: preview.changeSummary, deleted: destroy.summary.resourceChanges.delete, provider, sdkPulumi }));
})().catch((e) => { console.error(e); process.exit(1); });
`;

interface DeployResult {
  keyId: string;
  encoded: string;
  created: number;
  previewChanges: Record<string, number>;
  deleted: number;
  provider: string;
  /** The @pulumi/pulumi version the installed package itself loads. */
  sdkPulumi: string;
}

/** Runs USER_SCRIPT in the project, asynchronously: the emulator serves from this very process. */
async function deployFrom(project: string, work: string): Promise<DeployResult> {
  writeFileSync(path.join(project, "deploy.js"), USER_SCRIPT);
  const { stdout } = await promisify(execFile)(process.execPath, ["deploy.js"], {
    cwd: project,
    encoding: "utf8",
    env: {
      ...process.env,
      ...t.providerEnv(),
      KEY_NAME: unique("packed"),
      PULUMI_CLI_PATH: pulumiCliPath(),
      PULUMI_BACKEND_URL: `file://${mkdtempSync(path.join(work, "backend-"))}`,
      PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
      PULUMI_HOME: mkdtempSync(path.join(work, "home-")),
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PATH: `${path.join(project, "node_modules", "@pulumi", "pulumi")}${path.delimiter}${process.env.PATH}`,
    },
  });
  return JSON.parse(stdout.trim().split("\n").pop()!) as DeployResult;
}

async function assertDeployWorked(result: DeployResult): Promise<void> {
  assert.equal(result.created, 3);
  assert.deepEqual(result.previewChanges, { same: 3 }, "a preview right after up shows no change");
  assert.equal(result.deleted, 3);
  // Installed under node_modules, the entry module itself is the provider: the serializer stores a bare require by
  // package subpath (sdk/dynamic.ts), which the provider process resolves from the project's node_modules.
  assert.match(result.provider, /require\("pulumi-elastic-keys\/provider\/apm-agent-key"\)/, "by package name");
  assertProviderText(result.provider, [t.superuser.password]);
  assert.ok(!result.provider.includes(REPO_ROOT), "no path into this repository");
  assert.equal(
    (await keyById(t, result.keyId))?.invalidated,
    true,
    "destroy from the user's project invalidated the key",
  );
  assert.equal(await authenticatesAs(t, result.encoded), undefined);
}

test("the npm-packed package installs into a fresh project and runs up, preview and destroy from there", async (tc) => {
  const { work, project } = installPackedPackage("registry");
  tc.after(() => rmSync(work, { recursive: true, force: true }));
  await assertDeployWorked(await deployFrom(project, work));
});

describe(
  "npm pack from a clean clone",
  { skip: existsSync(path.join(REPO_ROOT, ".git")) ? false : "not a git clone" },
  () => {
    let work: string;
    let tarball: string;
    before(() => {
      work = mkdtempSync(path.join(os.tmpdir(), "pek-clone-"));
      tarball = packCleanClone(work);
    });
    after(() => rmSync(work, { recursive: true, force: true }));

    test("ships the compiled SDK and provider (prepack builds them)", () => {
      const files = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).split("\n");
      for (const f of [
        "package/dist/sdk/index.js",
        "package/dist/sdk/index.d.ts",
        "package/dist/provider/index.js",
        "package/dist/cli/bin.js",
        ...["apm-role", "apm-agent-key", "enrollment-api-key", "cross-cluster-api-key"].map(
          (r) => `package/dist/sdk/generated/providers/${r}.js`,
        ),
        // The native plugin and its generated TypeScript SDK (`pulumi-elastic-keys/native`).
        "package/plugin/bin/pulumi-resource-elastic",
        "package/plugin/schema.json",
        "package/dist/native/index.js",
        "package/dist/native/index.d.ts",
        "package/dist/native/package.json",
      ])
        assert.ok(files.includes(f), `${f} is in the tarball`);
      assert.deepEqual(
        files.filter((f) => /^package\/dist\/(test|scripts|examples|emulator)\//.test(f)),
        [],
        "no tests, scripts or examples",
      );
    });

    // Published Pulumi packages declare @pulumi/pulumi as a caret-range dependency, so a project's own copy is used
    // (one runtime, one copy); an exact pin would install a second, nested copy whenever the project's differs.
    for (const [label, version] of [
      ["an older supported", OLDEST_PULUMI],
      ["a newer", NEWER_PULUMI],
    ] as const)
      test(`installs into a project that already has ${label} @pulumi/pulumi (${version}): one copy, up, preview, destroy`, async () => {
        const project = installTarball(tarball, work, version);
        assert.equal(
          existsSync(path.join(project, "node_modules", "pulumi-elastic-keys", "node_modules", "@pulumi", "pulumi")),
          false,
          "no second, nested @pulumi/pulumi",
        );
        const native = execFileSync(
          process.execPath,
          ["-e", 'console.log(Object.keys(require("pulumi-elastic-keys/native")).sort().join(" "))'],
          { cwd: project, encoding: "utf8" },
        ).trim();
        for (const name of ["ApmAgentKey", "ApmRole", "CrossClusterApiKey", "EnrollmentApiKey", "Provider"])
          assert.ok(native.split(" ").includes(name), `pulumi-elastic-keys/native exports ${name}: ${native}`);
        const result = await deployFrom(project, work);
        assert.equal(result.sdkPulumi, version, "the package runs on the project's @pulumi/pulumi");
        await assertDeployWorked(result);
      });
  },
);

test("an installed copy that the project or @pulumi/pulumi cannot resolve by name falls back to the shim (no bare require that would fail)", async (tc) => {
  const keysFrom = (project: string, cwd: string) => {
    const dynamic = path.join(project, "node_modules", "pulumi-elastic-keys", "dist", "sdk", "dynamic.js");
    const script = `console.log(Object.keys(require(${JSON.stringify(dynamic)}).dynamicProvider("ApmRole", true)).join(" "))`;
    return execFileSync(process.execPath, ["-e", script], { cwd, encoding: "utf8" }).trim();
  };
  const user = installPackedPackage("registry");
  tc.after(() => rmSync(user.work, { recursive: true, force: true }));
  // From the project: the entry module itself (its exports are the provider's operations).
  const ops = keysFrom(user.project, user.project).split(" ").sort();
  for (const op of ["check", "configure", "create", "delete", "diff", "read"]) assert.ok(ops.includes(op), op);
  // From a directory whose node_modules lack the package (a copy nested under another dependency looks the same).
  assert.equal(keysFrom(user.project, mkdtempSync(path.join(user.work, "elsewhere-"))), "n a m configure");
  // @pulumi/pulumi linked from this repository: the serializer, there, could not map the module to its package name.
  const linked = installPackedPackage("repository");
  tc.after(() => rmSync(linked.work, { recursive: true, force: true }));
  assert.equal(keysFrom(linked.project, linked.project), "n a m configure");
});
