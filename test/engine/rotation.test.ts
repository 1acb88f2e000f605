// Scheduled rotation through the native plugin, driven by the real pulumi CLI on YAML programs with the emulator's
// clock moved forward (README, Rotation): not due ⇒ no change; due ⇒ a replacement that says why; the old key keeps
// authenticating for its overlap, also for a consumer stack reading it by StackReference, and is refused after it;
// `pulumi-elastic-keys inventory --stack` lists it without writing; destroy ends every overlap; a rotation whose CLI
// is killed leaves nothing untracked and is completed, with its overlap, after settle-pending.
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as path from "node:path";
import type { CliProject } from "../../scripts/lib/cli-project";
import { PLUGIN_DIR, REPO_ROOT } from "../../scripts/lib/pulumi-cli";
import { assertNothingWritten, authenticatesAs, createUser, keyById, leaked } from "../support/elastic-checks";
import { killTreeHard } from "../support/processes";
import { settlePending } from "../support/settle-pending";
import { acceptanceMode, unique, useTarget } from "../support/target";
import { faultsCleared, withCliProject } from "../support/engine";

const t = useTarget({ before, after });
const emulatorOnly = { skip: acceptanceMode() ? "emulator only (moves the server's clock)" : false };
const DAY = 86400_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const programYaml = (name: string, body: string): string =>
  `name: ${name}\nruntime: yaml\nplugins:\n  providers:\n    - name: elastic\n      path: ${PLUGIN_DIR}\n${body}`;

/** The producer: an agent key and a cross-cluster key on a 10-day schedule, with overlaps of 1 hour and 2 days. */
const producerProgram = (s: string) =>
  programYaml(
    "pek-rot-producer",
    `resources:
  agent:
    type: elastic:index:ApmAgentKey
    properties:
      name: agent-${s}
      privileges: [event:write]
      rotateAfter: 10d
      retireAfter: 1h
  cc:
    type: elastic:index:CrossClusterApiKey
    properties:
      name: cc-${s}
      access:
        search:
          - names: ["logs-*"]
      rotateAfter: 10d
      retireAfter: 2d
outputs:
  agentKeyId: \${agent.keyId}
  agentEncoded: \${agent.encoded}
  rotatesAt: \${agent.rotatesAt}
  ccKeyId: \${cc.keyId}
`,
  );

/** The consumer: the producer's agent key, read by StackReference (as a service's deployment would). */
const consumerProgram = (producerStack: string) =>
  `name: pek-rot-consumer\nruntime: yaml\nresources:\n  upstream:\n    type: pulumi:pulumi:StackReference\n    properties:\n      name: ${producerStack}\noutputs:\n  agentEncoded: \${upstream.outputs["agentEncoded"]}\n`;

async function configureCluster(p: CliProject, user: { username: string; password: string }): Promise<void> {
  await p.pulumi(["config", "set", "elastic:elasticsearchEndpoints", t.esUrl]);
  await p.pulumi(["config", "set", "elastic:elasticsearchUsername", user.username]);
  await p.pulumi(["config", "set", "--secret", "elastic:elasticsearchPassword", user.password]);
}

const freshUser = () => createUser(t, unique("rot").replace(/-/g, "_"), `pw-${unique("secret")}`, ["superuser"]);

async function outputs(p: CliProject): Promise<Record<string, string>> {
  const { stdout } = await p.pulumi(["stack", "output", "--json", "--show-secrets"]);
  return JSON.parse(stdout) as Record<string, string>;
}

/** Whether the key is live by the server's own answer (not invalidated, not expired by its clock). */
async function live(id: string): Promise<boolean> {
  const k = await keyById(t, id);
  return !!k && !k.invalidated && (k.expiration === undefined || k.expiration > t.emulator!.admin.state().now);
}

/** `pulumi-elastic-keys <args>` as a user runs it: the built bin, in the project's folder, settings in the env. */
function elasticKeys(p: CliProject, args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      [path.join(REPO_ROOT, "dist/cli/bin.js"), ...args],
      { cwd: p.dir, env: { ...p.env(), ...env } },
      (err, stdout, stderr) => (err ? reject(new Error(`${String(err)}\n${stdout}${stderr}`)) : resolve(stdout)),
    ),
  );
}

/** Starts `pulumi up`, and once the server has answered a request `seen` matches, waits `ms` and kills the CLI tree. */
async function upKilledOnceSeen(
  p: CliProject,
  seen: (r: { method: string; path: string }) => boolean,
  ms: number,
): Promise<void> {
  const cli = p.start(["up", "--yes"]);
  const exited = new Promise((r) => cli.once("exit", r));
  while (!t.emulator!.admin.requests().some(seen)) await sleep(50);
  await sleep(ms);
  assert.ok(killTreeHard(/pulumi.* up --yes/, { cwd: p.dir }) >= 2, "the CLI and its plugin");
  await exited;
}

describe("scheduled rotation on the native plugin (YAML, real pulumi CLI, the server's clock moved)", () => {
  let clockMoved = 0;
  const advance = (ms: number) => {
    t.emulator!.admin.advanceClock(ms);
    clockMoved += ms;
  };
  after(() => t.emulator?.admin.advanceClock(-clockMoved)); // back to the wall clock

  test(
    "not due: no change; due: a replacement saying why; the old key works for a consumer stack during the overlap, the consumer's next up takes the new key, the old one is refused after it; inventory lists both without writing; destroy ends every overlap",
    emulatorOnly,
    async (ctx) => {
      const s = unique("rs");
      const user = await freshUser();
      await withCliProject({ programYaml: producerProgram(s) }).run(async (producer) => {
        const consumerProject = {
          programYaml: consumerProgram("organization/pek-rot-producer/dev"),
          backendUrl: producer.backendUrl,
        };
        await withCliProject(consumerProject).run(async (consumer) => {
          await producer.pulumi(["stack", "init", "dev"]);
          await configureCluster(producer, user);
          await producer.pulumi(["up", "--yes"]);
          const first = await outputs(producer);
          await consumer.pulumi(["stack", "init", "dev"]);
          await consumer.pulumi(["up", "--yes"]);
          assert.equal((await outputs(consumer)).agentEncoded, first.agentEncoded, "the consumer holds the first key");

          advance(4 * DAY); // 6 days before rotatesAt: within the 7-day horizon, not due
          const early = await producer.pulumi(["preview", "--expect-no-changes"]);
          assert.match(early.stdout + early.stderr, new RegExp(`due for rotation at ${first.rotatesAt}`));

          advance(7 * DAY); // past rotatesAt by the server's clock: due, with no change to the program
          const due = await producer.pulumi(["preview", "--diff"]);
          assert.match(due.stdout, /\+-2 to replace|2 to replace/);
          assert.match(
            due.stdout + due.stderr,
            new RegExp(`ApmAgentKey "agent": rotation due since ${first.rotatesAt}`),
          );
          await producer.pulumi(["up", "--yes"]);
          const second = await outputs(producer);
          assert.notEqual(second.agentKeyId, first.agentKeyId);
          assert.notEqual(second.ccKeyId, first.ccKeyId);
          // The consumer has not run yet: it still holds the old key, which still works (the overlap).
          assert.equal((await outputs(consumer)).agentEncoded, first.agentEncoded);
          assert.equal(await authenticatesAs(t, first.agentEncoded), first.agentKeyId, "the old key, in its overlap");

          // The inventory, run as a user would on the stack the CLI made: the held keys and the ones retiring for them.
          t.emulator!.admin.clearRequests();
          const settings = {
            ELASTICSEARCH_ENDPOINTS: t.esUrl,
            ELASTICSEARCH_USERNAME: user.username,
            ELASTICSEARCH_PASSWORD: user.password,
          };
          const table = await elasticKeys(producer, ["inventory", "--stack", "dev"], settings);
          const json = await elasticKeys(producer, ["inventory", "--json", "--stack", "dev"], settings);
          await assertNothingWritten(ctx, t, "the inventory writes nothing");
          const rows = JSON.parse(json) as { resource: string; keyId: string; state: string; rotatesAt?: string }[];
          const row = (id: string) => rows.find((r) => r.keyId === id);
          assert.equal(row(second.agentKeyId)?.state, "live");
          assert.match(row(second.agentKeyId)?.resource ?? "", /ApmAgentKey::agent$/);
          assert.equal(row(second.ccKeyId)?.state, "live");
          assert.equal(row(first.agentKeyId)?.state, "retiring");
          assert.equal(row(first.ccKeyId)?.state, "retiring");
          assert.equal(rows.filter((r) => r.state === "untracked").length, 0, json);
          assert.match(table, /^RESOURCE\s+TYPE\s+KEY\s+STATE\s+EXPIRES\s+ROTATES\s+NOTE$/m);
          assert.match(table, new RegExp(`${first.agentKeyId}\\s+retiring\\s`));

          await consumer.pulumi(["up", "--yes"]);
          assert.equal((await outputs(consumer)).agentEncoded, second.agentEncoded, "the consumer's next up takes it");
          assert.equal(await authenticatesAs(t, second.agentEncoded), second.agentKeyId);

          advance(2 * 3600_000); // past the agent key's 1h overlap; the cross-cluster key's 2 days still run
          assert.equal(await authenticatesAs(t, first.agentEncoded), undefined, "the old key is refused after it");
          assert.equal(await live(first.ccKeyId), true, "the old cross-cluster key is still retiring");
          await producer.pulumi(["preview", "--expect-no-changes"]);

          await producer.pulumi(["destroy", "--yes"]);
          for (const id of [first.ccKeyId, second.ccKeyId, second.agentKeyId])
            assert.equal(await live(id), false, `${id}: destroy leaves nothing live, retiring keys included`);
          const printed = producer.transcript() + consumer.transcript();
          assert.deepEqual(leaked(printed, [first.agentEncoded, second.agentEncoded, user.password]), []);
        });
      });
    },
  );

  test(
    "the CLI killed during a rotating up: every live key is in state or found by settle-pending, and the next up completes the rotation with its overlap — killed in the new key's create, or before the old key's delete",
    emulatorOnly,
    async () => {
      const s = unique("rk");
      const user = await freshUser();
      const agentKeys = async () =>
        ((await t.es("GET", `/_security/api_key?name=agent-${s}`)).body as { api_keys: { id: string }[] }).api_keys;
      await withCliProject(
        {
          programYaml: programYaml(
            "pek-rot-killed",
            // The cross-cluster key's metadata follows the agent key: an update that runs between the new agent key's
            // create and the old one's delete.
            `resources:\n  agent:\n    type: elastic:index:ApmAgentKey\n    properties:\n      name: agent-${s}\n      privileges: [event:write]\n      rotateAfter: 10d\n      retireAfter: 1h\n  cc:\n    type: elastic:index:CrossClusterApiKey\n    properties:\n      name: cc-${s}\n      access:\n        search:\n          - names: [logs-*]\n      metadata:\n        agentKey: \${agent.keyId}\noutputs:\n  agentKeyId: \${agent.keyId}\n  agentEncoded: \${agent.encoded}\n`,
          ),
        },
        faultsCleared(t),
      ).run(async (p) => {
        await p.pulumi(["stack", "init", "dev"]);
        await configureCluster(p, user);
        await p.pulumi(["up", "--yes"]);
        const first = await outputs(p);
        advance(11 * DAY);

        // The new key's create is held by the server; the CLI (and the plugin it started) is killed meanwhile.
        t.emulator!.admin.clearRequests();
        t.emulator!.admin.setFaults([
          { listener: "es", method: "POST", path: "^/_security/api_key$", kind: "latency", latencyMs: 4_000, count: 1 },
        ]);
        await upKilledOnceSeen(p, (r) => r.path === "/_security/user/_has_privileges", 500);
        while (!t.emulator!.admin.requests().some((r) => r.method === "POST" && r.path === "/_security/api_key"))
          await sleep(100);
        t.emulator!.admin.clearFaults();

        // Nothing untracked: the old key is still the one in state (untouched: live, no overlap started), the new
        // one is the pending create that settle-pending finds by its mark.
        const made = (await agentKeys()).map((k) => k.id).filter((id) => id !== first.agentKeyId);
        assert.equal(made.length, 1, "the interrupted create made one key");
        assert.equal(await live(first.agentKeyId), true);
        await p.pulumi(["cancel", "--yes"]); // the killed CLI left its lock
        const exported = (await p.pulumi(["stack", "export"])).stdout;
        const deployment = JSON.parse(exported) as {
          deployment: { resources?: { id?: string }[]; pending_operations?: unknown[] };
        };
        assert.ok(
          deployment.deployment.resources?.some((r) => r.id === first.agentKeyId),
          "the old key is in state",
        );
        assert.equal(deployment.deployment.pending_operations?.length, 1, "the new key's create is pending");
        const settled = await settlePending(JSON.stringify(deployment.deployment), {
          ELASTICSEARCH_ENDPOINTS: t.esUrl,
          ELASTICSEARCH_USERNAME: user.username,
          ELASTICSEARCH_PASSWORD: user.password,
          PULUMI_HOME: p.home,
        });
        assert.equal(settled.code, 0, settled.out);
        assert.match(settled.out, new RegExp(`ApmAgentKey::agent: removed ${made[0]}`));
        assert.equal(await live(made[0]), false);

        // The documented way on: clear the pending create, then up — which sees the rotation due and retires.
        await p.pulumi(["refresh", "--clear-pending-creates", "--yes"]);
        await p.pulumi(["up", "--yes"]);
        const next = await outputs(p);
        assert.notEqual(next.agentKeyId, first.agentKeyId);
        assert.equal(await authenticatesAs(t, first.agentEncoded), first.agentKeyId, "the overlap is kept");
        assert.deepEqual(
          (await agentKeys())
            .map((k) => k.id)
            .filter((id) => id !== made[0])
            .sort(),
          [first.agentKeyId, next.agentKeyId].sort(),
        );

        // Killed again, later in the next rotation: the new key made and recorded, the old one not yet deleted (the
        // update that follows it is held). The old key already retires, so the next up, which deletes it as a pending
        // delete, leaves it its overlap.
        advance(11 * DAY);
        t.emulator!.admin.clearRequests();
        t.emulator!.admin.setFaults([
          {
            listener: "es",
            method: "PUT",
            path: "^/_security/cross_cluster/api_key/[^/]+$",
            kind: "latency",
            latencyMs: 4_000,
            count: 1,
          },
        ]);
        await upKilledOnceSeen(p, (r) => r.method === "POST" && r.path === "/_security/api_key", 1_000);
        await sleep(4_000);
        t.emulator!.admin.clearFaults();
        await p.pulumi(["cancel", "--yes"]);
        const pendingDelete = (
          JSON.parse((await p.pulumi(["stack", "export"])).stdout) as {
            deployment: { resources?: { id?: string; delete?: boolean }[] };
          }
        ).deployment.resources?.find((r) => r.id === next.agentKeyId);
        assert.equal(pendingDelete?.delete, true, "the old key is left in state as a pending delete");
        const resumed = await p.pulumi(["up", "--yes"]);
        const third = await outputs(p);
        assert.notEqual(third.agentKeyId, next.agentKeyId);
        assert.match(resumed.stdout + resumed.stderr, /keeps retiring until it expires/);
        assert.equal(await authenticatesAs(t, next.agentEncoded), next.agentKeyId, "its overlap is kept");
        assert.equal(await authenticatesAs(t, third.agentEncoded), third.agentKeyId);
        const liveNow = [];
        for (const k of await agentKeys()) if (await live(k.id)) liveNow.push(k.id);
        assert.deepEqual(liveNow.sort(), [next.agentKeyId, third.agentKeyId].sort(), "nothing untracked");

        await p.pulumi(["destroy", "--yes"]);
        for (const id of [first.agentKeyId, next.agentKeyId, third.agentKeyId]) assert.equal(await live(id), false);
      });
    },
  );
});
