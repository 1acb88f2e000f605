// Every example runs as written, through the inline-program loader (scripts/lib/examples.ts), against the
// emulator or a real stack.
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { deployServiceKeys } from "../../examples/automation";
import { assertCreatedBeforeRetired, authenticatesAs, keyById, leaked } from "../support/elastic-checks";
import { exampleProgram, exampleProjectName } from "../../scripts/lib/examples";
import { secretValues, str } from "../support/outputs";
import { createTestStack, pulumiCommand, PASSPHRASE } from "../../scripts/lib/stack";
import { unique, useTarget } from "../support/target";

const t = useTarget({ before, after });
let policyId: string;

describe("examples", () => {
  // Suite hooks run after the file's: the target is up by then.
  before(async () => {
    const r = await t.kibana("POST", "/api/fleet/agent_policies", { name: unique("examples"), namespace: "default" });
    policyId = (r.body as { item: { id: string } }).item.id;
  });

  test("quickstart: all four resources, secrets masked, the agent key authenticates", async () => {
    const s = await createTestStack({
      projectName: exampleProjectName("quickstart"),
      env: t.providerEnv(),
      program: exampleProgram("quickstart"),
    });
    try {
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
    } finally {
      await s.cleanup();
    }
  });

  test("cross-stack: the consumer gets the producer's keys as secrets, and a rotation passes through", async (ctx) => {
    const producer = await createTestStack({
      projectName: exampleProjectName("cross-stack/producer"),
      env: t.providerEnv(),
      program: exampleProgram("cross-stack/producer"),
      stackName: "prod",
    });
    const consumer = await createTestStack({
      projectName: exampleProjectName("cross-stack/consumer"),
      env: t.providerEnv(),
      program: exampleProgram("cross-stack/consumer"),
      stackName: "app",
      backendDir: producer.backendDir,
    });
    try {
      await producer.stack.setConfig("policyId", { value: policyId });
      await consumer.stack.setConfig("producerStack", { value: "organization/elastic-keys-producer/prod" });
      const made = await producer.up();
      const got = await consumer.up();
      assert.equal(got.outputs.enrollmentToken.secret, true);
      assert.equal(got.outputs.remoteClusterCredential.secret, true);
      assert.equal(str(got.outputs, "enrollmentToken"), str(made.outputs, "enrollmentToken"));
      assert.ok(await authenticatesAs(t, str(got.outputs, "enrollmentToken")), "the enrollment token authenticates");
      assert.equal(
        (await keyById(t, str(got.outputs, "remoteClusterKeyId")))?.invalidated,
        false,
        "the cross-cluster key is live",
      );
      for (const s of [producer, consumer])
        assert.deepEqual(leaked(await s.exportText(), secretValues(made.outputs)), []);

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
    } finally {
      await consumer.cleanup();
      await producer.cleanup();
    }
  });

  test("rotation: each new key is created before the old one is invalidated", async (ctx) => {
    const s = await createTestStack({
      projectName: exampleProjectName("rotation"),
      env: t.providerEnv(),
      program: exampleProgram("rotation"),
    });
    try {
      const first = await s.up();
      t.emulator?.admin.clearRequests();
      await s.stack.setConfig("rotation", { value: "2026-12" });
      const second = await s.up();
      assert.equal(second.summary.resourceChanges?.replace, 2);
      const oldId = str(first.outputs, "apmKeyId");
      assert.notEqual(str(second.outputs, "apmKeyId"), oldId);
      assert.equal((await keyById(t, oldId))?.invalidated, true);
      assert.equal(await authenticatesAs(t, str(second.outputs, "apmKeyEncoded")), str(second.outputs, "apmKeyId"));
      await assertCreatedBeforeRetired(ctx, t, [
        { key: "agent key", oldId, newId: str(second.outputs, "apmKeyId") },
        {
          key: "cross-cluster key",
          oldId: str(first.outputs, "replicationKeyId"),
          newId: str(second.outputs, "replicationKeyId"),
        },
      ]);
    } finally {
      await s.cleanup();
    }
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
