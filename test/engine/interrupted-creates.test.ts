// Creates whose outcome never reached the engine, on the real CLI: the provider process killed (kill -9) while creates
// are in flight — the engine then records plain failures and no pending operation, so only the create journal knows
// what was sent —, a role create whose answer is lost, and a create still in flight when refresh runs. After each, every
// object on the server is counted against the stack's state. README, Troubleshooting; issue 22, items 5–7.
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import type { CliProject } from "../../scripts/lib/cli-project";
import { PLUGIN_DIR } from "../../scripts/lib/pulumi-cli";
import { ApmAgentKey, ApmRole, CrossClusterApiKey, EnrollmentApiKey } from "../../sdk";
import { activeEnrollmentKeys, createAgentPolicy, liveKeysNamed } from "../support/elastic-checks";
import { killTreeHard } from "../support/processes";
import { settlePending } from "../support/settle-pending";
import { acceptanceMode, unique, useTarget } from "../support/target";
import { faultsCleared, withCliProject, withStack } from "../support/engine";

const t = useTarget({ before, after });
const emulatorOnly = { skip: acceptanceMode() ? "emulator only (fault injection, killed processes)" : false };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every route a create of ours writes on, slowed so the creates are in flight when the provider dies. */
const slowCreates = (latencyMs: number) =>
  [
    { listener: "es" as const, method: "POST", path: "^/_security/api_key$" },
    { listener: "es" as const, method: "POST", path: "^/_security/cross_cluster/api_key$" },
    { listener: "es" as const, method: "PUT", path: "^/_security/role/[^/]+$" },
    { listener: "kibana" as const, method: "POST", path: "^/api/fleet/enrollment_api_keys$" },
  ].map((route) => ({ ...route, kind: "latency" as const, latencyMs, count: 2 }));

/** Two of each resource, on one policy. */
function eightResources(s: string, policyId: string): string {
  const pair = (type: string, props: (i: number) => string) =>
    [0, 1].map((i) => `  ${type.toLowerCase()}${i}:\n    type: elastic:index:${type}\n    properties:\n${props(i)}`);
  return [
    ...pair("ApmRole", (i) => `      name: role-${s}-${i}\n`),
    ...pair("ApmAgentKey", (i) => `      name: agent-${s}-${i}\n      privileges: [event:write]\n`),
    ...pair(
      "CrossClusterApiKey",
      (i) => `      name: cc-${s}-${i}\n      access:\n        search:\n          - names: [logs-*]\n`,
    ),
    ...pair("EnrollmentApiKey", () => `      policyId: ${policyId}\n`),
  ].join("");
}

interface Held {
  resource: string;
  live: string[];
  inState: string[];
}

/** What the server holds for each of the eight resources, next to what the stack's state holds. */
async function census(p: CliProject, s: string, policyId: string): Promise<Held[]> {
  const { stdout } = await p.pulumi(["stack", "export"]);
  const resources = (JSON.parse(stdout) as { deployment: { resources?: { urn: string; id?: string }[] } }).deployment
    .resources;
  const stateIds = (name: string) =>
    (resources ?? []).filter((r) => r.urn.endsWith(`::${name}`) && r.id).map((r) => r.id!);
  const held: Held[] = [];
  const fleetKeys = await activeEnrollmentKeys(t, policyId);
  for (const i of [0, 1]) {
    const role = `role-${s}-${i}`;
    held.push({
      resource: `apmrole${i}`,
      live: (await t.es("GET", `/_security/role/${role}`)).status === 200 ? [role] : [],
      inState: stateIds(`apmrole${i}`),
    });
    for (const [kind, name] of [
      ["apmagentkey", `agent-${s}-${i}`],
      ["crossclusterapikey", `cc-${s}-${i}`],
    ] as const)
      held.push({
        resource: `${kind}${i}`,
        live: (await liveKeysNamed(t, name)).map((k) => k.id).sort(),
        inState: stateIds(`${kind}${i}`),
      });
    held.push({
      resource: `enrollmentapikey${i}`,
      live: fleetKeys.filter((k) => k.name.startsWith(`enrollmentapikey${i}-`)).map((k) => k.id),
      inState: stateIds(`enrollmentapikey${i}`),
    });
  }
  return held;
}

/** Live objects that no state holds. */
const orphans = (held: Held[]) => held.flatMap((h) => h.live.filter((id) => !h.inState.includes(id)));

/** Starts `pulumi up`, waits until creates of every kind are on their way, and SIGKILLs the plugin (only the plugin). */
async function upWithPluginKilled(p: CliProject): Promise<void> {
  t.emulator!.admin.clearRequests();
  t.emulator!.admin.setFaults(slowCreates(3_000));
  const running = p.pulumi(["up", "--yes"], { expectFailure: true });
  const seen = () => t.emulator!.admin.requests();
  // The looks and checks that precede the writes; then the writes themselves are held by the emulator.
  while (
    !seen().some((r) => r.path.startsWith("/_security/role/")) ||
    !seen().some((r) => r.path === "/_security/user/_has_privileges") ||
    !seen().some((r) => r.path === "/_security/_authenticate")
  )
    await sleep(50);
  await sleep(1_000);
  assert.ok(killTreeHard(/dist\/plugin\/main\.js/, { cwd: p.dir }) >= 1, "the plugin was running");
  const failed = await running;
  assert.match(failed.stdout + failed.stderr, /error reading from server|transport is closing|EOF|connection/i);
  await sleep(3_000); // the held creates are carried out: nobody waits for their answers any more
  t.emulator!.admin.clearFaults();
}

describe("creates interrupted by a dead provider process", () => {
  test(
    "the plugin killed mid-up (YAML): the next up removes what the interrupted creates made, then makes one of each",
    emulatorOnly,
    async () => {
      const s = unique("kp");
      const policyId = await createAgentPolicy(t, unique("kp-policy"));
      const program = `name: pek-killed-plugin\nruntime: yaml\nplugins:\n  providers:\n    - name: elastic\n      path: ${PLUGIN_DIR}\nresources:\n${eightResources(s, policyId)}`;
      await withCliProject({ programYaml: program, env: { ...t.providerEnv() } }, faultsCleared(t)).run(async (p) => {
        await p.pulumi(["stack", "init", "dev"]);
        await upWithPluginKilled(p);
        const left = orphans(await census(p, s, policyId));
        assert.ok(left.length >= 4, `the kill left objects that no state holds: ${left.join(", ")}`);

        const next = await p.pulumi(["up", "--yes"]);
        assert.match(next.stdout + next.stderr, /which no state holds: removed/);
        const after = await census(p, s, policyId);
        assert.deepEqual(orphans(after), [], "nothing live that no state holds");
        for (const h of after) assert.deepEqual(h.live, h.inState, `${h.resource}: exactly what state holds`);
        assert.equal(after.filter((h) => h.inState.length === 1).length, 8, "all eight created");

        await p.pulumi(["destroy", "--yes"]);
        const gone = await census(p, s, policyId);
        assert.deepEqual(
          gone.flatMap((h) => h.live),
          [],
          "destroy leaves nothing",
        );
      });
    },
  );

  test(
    "the plugin killed mid-up: settle-pending removes what the interrupted creates made (from the create journal), and up then succeeds",
    emulatorOnly,
    async () => {
      const s = unique("ks");
      const policyId = await createAgentPolicy(t, unique("ks-policy"));
      const program = `name: pek-killed-settle\nruntime: yaml\nplugins:\n  providers:\n    - name: elastic\n      path: ${PLUGIN_DIR}\nresources:\n${eightResources(s, policyId)}`;
      await withCliProject({ programYaml: program, env: { ...t.providerEnv() } }, faultsCleared(t)).run(async (p) => {
        await p.pulumi(["stack", "init", "dev"]);
        await upWithPluginKilled(p);
        assert.ok(orphans(await census(p, s, policyId)).length >= 4);
        const { stdout } = await p.pulumi(["stack", "export"]);
        assert.equal(
          (JSON.parse(stdout) as { deployment: { pending_operations?: unknown[] } }).deployment.pending_operations
            ?.length ?? 0,
          0,
          "the engine kept no pending operation: only the journal knows",
        );
        const settled = await settlePending(JSON.stringify(JSON.parse(stdout).deployment), {
          ...t.providerEnv(),
          PULUMI_HOME: p.home,
        });
        assert.equal(settled.code, 0, settled.out);
        assert.match(settled.out, /which no state holds: removed/);
        assert.deepEqual(orphans(await census(p, s, policyId)), [], settled.out);
        await p.pulumi(["up", "--yes"]); // no "role … already exists"
        assert.deepEqual(orphans(await census(p, s, policyId)), []);
      });
    },
  );

  test(
    "the dynamic-provider host killed mid-up: the next up removes what the interrupted creates made",
    emulatorOnly,
    async () => {
      const names = { role: unique("dk-role"), agent: unique("dk-agent"), cc: unique("dk-cc") };
      const policyId = await createAgentPolicy(t, unique("dk-policy"));
      await withStack(
        {
          env: t.providerEnv(),
          program: async () => {
            new ApmRole("role", { name: names.role });
            new ApmAgentKey("agent", { name: names.agent, privileges: ["event:write"] });
            new CrossClusterApiKey("cc", { name: names.cc, access: { search: [{ names: "logs" }] } });
            new EnrollmentApiKey("enroll", { policyId });
          },
        },
        faultsCleared(t),
      ).run(async (stack) => {
        t.emulator!.admin.clearRequests();
        t.emulator!.admin.setFaults(slowCreates(3_000));
        const running = stack.up().catch((e: unknown) => e);
        while (!t.emulator!.admin.requests().some((r) => r.path === "/_security/user/_has_privileges")) await sleep(50);
        await sleep(1_000);
        const killed = killTreeHard(/dynamic-provider/, { env: `PULUMI_HOME=${stack.home}` });
        assert.ok(killed >= 1, "the dynamic-provider host was running");
        assert.ok((await running) instanceof Error, "up failed");
        await sleep(3_000);
        t.emulator!.admin.clearFaults();
        const liveNow = async () => ({
          role: (await t.es("GET", `/_security/role/${names.role}`)).status === 200,
          agent: (await liveKeysNamed(t, names.agent)).map((k) => k.id),
          cc: (await liveKeysNamed(t, names.cc)).map((k) => k.id),
        });
        const before = await liveNow();
        assert.ok(before.role || before.agent.length || before.cc.length, "the kill left objects behind");

        const up = await stack.up();
        const after = await liveNow();
        assert.equal(after.role, true);
        assert.deepEqual(after.agent.length, 1, "one agent key");
        assert.deepEqual(after.cc.length, 1, "one cross-cluster key");
        assert.ok(!before.agent.some((id) => after.agent.includes(id)), "the interrupted create's key is gone");
        assert.match(stack.log(), /which no state holds: removed|made nothing that is still live/);
        assert.equal(up.summary.result, "succeeded");
        // Fleet makes a "Default" key with every policy: only this stack's generated names count.
        const enrolled = (await activeEnrollmentKeys(t, policyId)).filter((k) => k.name.startsWith("enroll-"));
        assert.equal(enrolled.length, 1, `one enrollment key: ${JSON.stringify(enrolled)}\n${stack.log()}`);
        await stack.destroy();
        assert.deepEqual(await liveKeysNamed(t, names.agent), []);
        assert.equal((await t.es("GET", `/_security/role/${names.role}`)).status, 404);
      });
    },
  );
});

describe("lost and late answers", () => {
  test(
    "a role create answered 503 after Elasticsearch wrote it: up succeeds with that role, written once (YAML and dynamic)",
    emulatorOnly,
    async () => {
      const yamlRole = unique("lost-yaml");
      const dynRole = unique("lost-dyn");
      const yaml = {
        programYaml: `name: pek-lost-role\nruntime: yaml\nplugins:\n  providers:\n    - name: elastic\n      path: ${PLUGIN_DIR}\nresources:\n  role:\n    type: elastic:index:ApmRole\n    properties:\n      name: ${yamlRole}\n`,
        env: { ...t.providerEnv() },
      };
      const dynamic = { env: t.providerEnv(), program: async () => void new ApmRole("role", { name: dynRole }) };
      await withCliProject(yaml).run((p) =>
        withStack(dynamic, faultsCleared(t)).run(async (stack) => {
          t.emulator!.admin.clearRequests();
          t.emulator!.admin.setFaults(
            [yamlRole, dynRole].map((n) => ({
              listener: "es" as const,
              method: "PUT",
              path: `^/_security/role/${n}$`,
              kind: "commit-then-fail" as const,
              status: 503,
              count: 1,
            })),
          );
          await p.pulumi(["stack", "init", "dev"]);
          await p.pulumi(["up", "--yes"]);
          await stack.up();
          for (const n of [yamlRole, dynRole]) {
            assert.equal((await t.es("GET", `/_security/role/${n}`)).status, 200, n);
            const puts = t
              .emulator!.admin.requests()
              .filter((r) => r.method === "PUT" && r.path === `/_security/role/${n}`);
            assert.equal(puts.length, 1, `${n}: written once, settled by its mark`);
          }
          await p.pulumi(["preview", "--expect-no-changes"]);
          await p.pulumi(["destroy", "--yes"]);
          await stack.destroy();
          for (const n of [yamlRole, dynRole]) assert.equal((await t.es("GET", `/_security/role/${n}`)).status, 404);
        }),
      );
    },
  );

  test(
    "a create still in flight when refresh runs stays in state; the key lands later and the next up settles it",
    emulatorOnly,
    async () => {
      const name = unique("in-flight");
      await withStack(
        {
          env: { ...t.providerEnv(), ELASTIC_KEYS_HTTP_CREATE_TIMEOUT_MS: "1000" },
          program: async () => ({ keyId: new ApmAgentKey("agent", { name, privileges: ["event:write"] }).keyId }),
        },
        faultsCleared(t),
      ).run(async (stack) => {
        t.emulator!.admin.setFaults([
          {
            listener: "es",
            method: "POST",
            path: "^/_security/api_key$",
            kind: "latency",
            latencyMs: 15_000,
            count: 1,
          },
        ]);
        await assert.rejects(stack.up(), /stays in state as a resource that failed to create/);
        const unresolved = async () => {
          const deployment = JSON.parse(await stack.exportText()) as { resources?: { type: string; id?: string }[] };
          return (deployment.resources ?? []).filter((r) => r.id?.startsWith("unresolved-create:")).length;
        };
        assert.equal(await unresolved(), 1);
        assert.deepEqual(await liveKeysNamed(t, name), [], "the server has not made it yet");
        // Before: an immediate refresh found nothing and dropped it; the key then landed with no state holding it.
        await stack.refresh();
        assert.equal(await unresolved(), 1, "refresh keeps the create while nothing can be proven");
        assert.match(stack.log(), /has not shown what it made yet/);
        for (let waited = 0; (await liveKeysNamed(t, name)).length === 0 && waited < 30_000; waited += 250)
          await sleep(250);
        t.emulator!.admin.clearFaults();
        assert.equal((await liveKeysNamed(t, name)).length, 1, "the key landed");
        const up = await stack.up();
        assert.deepEqual(
          (await liveKeysNamed(t, name)).map((k) => k.id),
          [String(up.outputs.keyId.value)],
          "one live key, the one state holds",
        );
        await stack.destroy();
        assert.deepEqual(await liveKeysNamed(t, name), []);
      });
    },
  );
});
