// Every example runs as written, through the inline-program loader (scripts/lib/examples.ts), against the
// emulator or a real stack.
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { deployServiceKeys } from "../../examples/automation";
import {
  assertCreatedBeforeRetired,
  authenticatesAs,
  createUser,
  keyById,
  leaked,
  createAgentPolicy,
} from "../support/elastic-checks";
import { exampleProgram, exampleProjectName } from "../../scripts/lib/examples";
import { secretValues, str } from "../support/outputs";
import { createTestStack, pulumiCommand, PASSPHRASE, type TestStack } from "../../scripts/lib/stack";
import type { UpResult } from "@pulumi/pulumi/automation";
import { REPO_ROOT } from "../../scripts/lib/pulumi-cli";
import { readmeCommands } from "../support/readme-commands";
import { unique, useTarget } from "../support/target";
import { withCleanup, withStack, type Around } from "../support/engine";

const t = useTarget({ before, after });
let policyId: string;

describe("examples", () => {
  // Suite hooks run after the file's: the target is up by then.
  before(async () => {
    policyId = await createAgentPolicy(t, unique("examples"));
  });

  test("quickstart: all four resources, secrets masked, the agent key authenticates", async () => {
    await withStack({
      projectName: exampleProjectName("quickstart"),
      env: t.providerEnv(),
      program: exampleProgram("quickstart"),
    }).run(async (s) => {
      await s.stack.setConfig("policyId", { value: policyId });
      const up = await s.up();
      assert.equal(up.summary.resourceChanges?.create, 5);
      for (const k of ["agentKeyEncoded", "enrollmentToken", "crossClusterEncoded"])
        assert.equal(up.outputs[k].secret, true, `${k} is secret`);
      assert.equal(await authenticatesAs(t, str(up.outputs, "agentKeyEncoded")), str(up.outputs, "agentKeyId"));
      assert.ok(await authenticatesAs(t, str(up.outputs, "enrollmentToken")), "the enrollment token authenticates");
      assert.deepEqual(leaked(await s.exportText(), [...secretValues(up.outputs), t.superuser.password]), []);
      assert.deepEqual((await s.preview()).changeSummary, { same: 5 });
      await s.destroy();
      assert.equal((await keyById(t, str(up.outputs, "agentKeyId")))?.invalidated, true);
    });
  });

  test("cross-stack: the README's commands — the consumer gets the producer's keys as secrets, and a rotation passes through", async (ctx) => {
    const user = await freshUser();
    await withReadme("cross-stack", {
      "https://es.example.com:9200": t.esUrl,
      "https://kibana.example.com:5601": t.kibanaUrl,
      ops: user.username,
      "<password>": user.password,
      "<fleet policy id>": policyId,
    }).run(async (run) => {
      const [made, got] = run.ups;
      assert.equal(got.outputs.enrollmentToken.secret, true);
      assert.equal(got.outputs.remoteClusterCredential.secret, true);
      assert.equal(str(got.outputs, "enrollmentToken"), str(made.outputs, "enrollmentToken"));
      assert.equal(run.shown.at(-1), str(made.outputs, "enrollmentToken"), "stack output --show-secrets shows it");
      assert.ok(await authenticatesAs(t, str(got.outputs, "enrollmentToken")), "the enrollment token authenticates");
      assert.equal(
        (await keyById(t, str(got.outputs, "remoteClusterKeyId")))?.invalidated,
        false,
        "the cross-cluster key is live",
      );
      const [producer, consumer] = run.stacks;
      for (const s of run.stacks)
        assert.deepEqual(leaked(await s.exportText(), [...secretValues(made.outputs), user.password]), []);

      // The README's rotation: `pulumi config set rotation <anything new> && pulumi up --yes` in producer.
      await producer.stack.setConfig("rotation", { value: "second" });
      const rotated = await producer.up();
      const regot = await consumer.up();
      assert.notEqual(str(rotated.outputs, "crossClusterEncoded"), str(made.outputs, "crossClusterEncoded"));
      assert.equal(str(regot.outputs, "remoteClusterCredential"), str(rotated.outputs, "crossClusterEncoded"));
      assert.equal(
        (await keyById(t, str(made.outputs, "crossClusterKeyId")))?.invalidated,
        true,
        "the old key is invalidated",
      );
      await assertCreatedBeforeRetired(ctx, t, [
        {
          key: "cross-cluster key",
          oldId: str(made.outputs, "crossClusterKeyId"),
          newId: str(rotated.outputs, "crossClusterKeyId"),
        },
        {
          key: "enrollment key",
          oldId: str(made.outputs, "enrollmentKeyId"),
          newId: str(rotated.outputs, "enrollmentKeyId"),
        },
      ]);
      await consumer.destroy();
      await producer.destroy();
    });
  });

  test("rotation: the README's commands — new key first, the old one works for the overlap and is refused after it; a due key rotates on its own, and not before", async (ctx) => {
    const user = await freshUser();
    // The server's clock goes back to the wall clock for what follows.
    const clockBack = { beforeCleanup: () => t.emulator?.admin.advanceClock(-(25 * 3600_000 + 25 * 86400_000)) };
    const substitutions = { "https://es.example.com:9200": t.esUrl, ops: user.username, "<password>": user.password };
    await withReadme("rotation", substitutions, clockBack).run(async (run) => {
      const [first, second] = run.ups;
      assert.equal(second.summary.resourceChanges?.replace, 2);
      const oldId = str(first.outputs, "apmKeyId");
      const newId = str(second.outputs, "apmKeyId");
      assert.notEqual(newId, oldId);
      assert.equal(
        await authenticatesAs(t, str(first.outputs, "apmKeyEncoded")),
        oldId,
        "a consumer still holding the old key keeps working during the overlap (retireAfter)",
      );
      assert.equal(await authenticatesAs(t, str(second.outputs, "apmKeyEncoded")), newId);
      await assertCreatedBeforeRetired(ctx, t, [
        { key: "agent key", oldId, newId },
        {
          key: "cross-cluster key",
          oldId: str(first.outputs, "replicationKeyId"),
          newId: str(second.outputs, "replicationKeyId"),
        },
      ]);
      if (!t.emulator) return ctx.skip("moves the emulator's clock");
      const [stack] = run.stacks;
      t.emulator.admin.advanceClock(25 * 3600_000); // past the 24h overlap, by the server's clock
      assert.equal(await authenticatesAs(t, str(first.outputs, "apmKeyEncoded")), undefined, "refused after it");
      t.emulator.admin.advanceClock(20 * 86400_000); // 4 days before rotatesAt: within the 7-day horizon
      const early = await stack.preview();
      assert.equal(early.changeSummary.replace ?? 0, 0, "not due: no diff");
      assert.match(stack.log(), /due for rotation at/, "due within the 7-day horizon: a warning naming the date");
      t.emulator.admin.advanceClock(5 * 86400_000); // the agent key is over 25d old, the cross-cluster key <5d from expiry
      const due = await stack.up();
      assert.equal(due.summary.resourceChanges?.replace, 2, "both keys rotate on their own, with no config change");
      assert.match(stack.log(), /rotation due since/);
      assert.notEqual(str(due.outputs, "apmKeyId"), newId);
      assert.equal(await authenticatesAs(t, str(second.outputs, "apmKeyEncoded")), newId, "in its overlap");
      await stack.destroy();
      assert.equal(await authenticatesAs(t, str(second.outputs, "apmKeyEncoded")), undefined, "destroy ends overlaps");
    });
  });

  test("automation: the CI script deploys, masks secrets in its log and hands the key over in a 0600 file", async () => {
    const home = mkdtempSync(path.join(os.tmpdir(), "pek-ci-"));
    const secretFile = path.join(home, "apm-key.secret");
    const lines: string[] = [];
    const envVars = {
      ...t.providerEnv(),
      PULUMI_BACKEND_URL: `file://${home}`,
      PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
      PULUMI_HOME: path.join(home, ".pulumi"),
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PATH: `${path.dirname(require.resolve("@pulumi/pulumi/package.json"))}${path.delimiter}${process.env.PATH}`,
    };
    const service = unique("ci-service");
    const cmd = await pulumiCommand();
    const { keyId } = await deployServiceKeys({
      service,
      secretFile,
      pulumiCommand: cmd,
      envVars,
      log: (l) => lines.push(l),
    });
    const encoded = readFileSync(secretFile, "utf8");
    assert.equal(statSync(secretFile).mode & 0o777, 0o600);
    assert.equal(await authenticatesAs(t, encoded), keyId);
    assert.ok(lines.includes("encoded: [secret]"), lines.join("\n"));
    assert.deepEqual(leaked(lines.join("\n"), [encoded]), []);
    await deployServiceKeys({ service, destroy: true, pulumiCommand: cmd, envVars, log: (l) => lines.push(l) });
    assert.equal((await keyById(t, keyId))?.invalidated, true);
  });
});

/** A superuser of its own (a fresh name and password, so leak checks mean something). */
const freshUser = (): Promise<{ username: string; password: string }> =>
  createUser(t, unique("ops").replace(/-/g, "_"), `pw-${unique("secret")}`, ["superuser"]);

interface ReadmeRun {
  ups: UpResult[];
  /** What each `pulumi stack output <name> --show-secrets` printed. */
  shown: string[];
  stacks: TestStack[];
  cleanup(): Promise<void>;
}

/** The README's commands run (runReadme) and handed to `body`; their stacks are cleaned up afterwards. */
const withReadme = (example: string, substitutions: Record<string, string>, around?: Around<ReadmeRun>) => ({
  run: async <T>(body: (run: ReadmeRun) => Promise<T>): Promise<T> =>
    withCleanup(await runReadme(example, substitutions), body, around),
});

/**
 * Runs the commands of examples/<example>/README.md as written: `cd`, `npm install` (the folder's package.json must
 * declare what its program imports), `pulumi stack init`, `pulumi config set [--secret]`, `pulumi up --yes`,
 * `pulumi stack output --show-secrets`. The pulumi commands go through the Automation API with the example's own
 * program (the CLI built here has no nodejs language host); no connection setting comes from anywhere but the
 * README's config. Every stack shares one backend, as the README says.
 */
async function runReadme(example: string, substitutions: Record<string, string>): Promise<ReadmeRun> {
  const run: ReadmeRun = { ups: [], shown: [], stacks: [], cleanup: async () => {} };
  run.cleanup = async () => {
    for (const s of [...run.stacks].reverse()) await s.cleanup();
  };
  let dir = example;
  let current: TestStack | undefined;
  try {
    for (const argv of readmeCommands(example, substitutions)) {
      const [tool, ...args] = argv;
      const line = argv.join(" ");
      if (tool === "cd") dir = path.posix.normalize(path.posix.join(dir, args[0]));
      else if (tool === "npm" && args[0] === "install") assertDeclaresImports(dir);
      else if (tool === "pulumi" && args[0] === "stack" && args[1] === "init") {
        current = await createTestStack({
          projectName: exampleProjectName(dir),
          program: exampleProgram(dir),
          stackName: args[2],
          backendDir: run.stacks[0]?.backendDir,
        });
        run.stacks.push(current);
      } else if (tool === "pulumi" && args[0] === "config" && args[1] === "set" && current) {
        const secret = args.includes("--secret");
        const [key, value] = args.slice(2).filter((a) => a !== "--secret");
        await current.stack.setConfig(key, { value, secret });
      } else if (tool === "pulumi" && args[0] === "up" && current) {
        run.ups.push(await current.up());
      } else if (tool === "pulumi" && args[0] === "stack" && args[1] === "output" && current) {
        const outputs = await current.stack.outputs();
        run.shown.push(String(outputs[args[2]]?.value));
      } else throw new Error(`examples/${example}/README.md: a command this test cannot run: ${line}`);
    }
  } catch (e) {
    await run.cleanup();
    throw e;
  }
  return run;
}

/** `npm install` in an example folder installs what its program imports: its package.json declares each package. */
function assertDeclaresImports(dir: string): void {
  const folder = path.join(REPO_ROOT, "examples", dir);
  const pkg = JSON.parse(readFileSync(path.join(folder, "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
  };
  const imported = [...readFileSync(path.join(folder, "index.ts"), "utf8").matchAll(/from "([^"./][^"]*)"/g)].map((m) =>
    m[1]
      .split("/")
      .slice(0, m[1].startsWith("@") ? 2 : 1)
      .join("/"),
  );
  for (const name of imported) assert.ok(pkg.dependencies[name], `examples/${dir}/package.json declares ${name}`);
}
