// Answers to a create that prove nothing, on the real CLI through both front ends (a YAML program on the native
// plugin, and the dynamic resources through the Automation API): a 500 after the server committed the write, and
// answers a proxy garbled after the commit (the product header dropped, an HTML page, every field's type changed, the
// same body under status 500), on every create route. Each is settled by the create's mark: after `up` every live
// key and role is in state, `destroy` leaves nothing, and no secret any answer held — a key's `api_key`, its
// `encoded`, the base64 of `<id>:` that begins it — appears in the engine's output, `stack export` or an error.
// README, Troubleshooting; issue 22, items 1 and 2.
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import type { FaultRule } from "../../emulator";
import { PLUGIN_DIR } from "../../scripts/lib/pulumi-cli";
import { ApmAgentKey, ApmRole, CrossClusterApiKey, EnrollmentApiKey } from "../../sdk";
import { activeEnrollmentKeys, createAgentPolicy, leaked, liveKeysNamed } from "../support/elastic-checks";
import { recordingProxy, type RecordingProxy } from "../support/proxies";
import { acceptanceMode, unique, useTarget } from "../support/target";
import { faultsCleared, withCliProject, withStack } from "../support/engine";

const t = useTarget({ before, after });
const emulatorOnly = { skip: acceptanceMode() ? "emulator only (fault injection)" : false };

type Route = Pick<FaultRule, "listener" | "method" | "path">;
const agentRoute: Route = { listener: "es", method: "POST", path: "^/_security/api_key$" };
const ccRoute: Route = { listener: "es", method: "POST", path: "^/_security/cross_cluster/api_key$" };
const fleetRoute: Route = { listener: "kibana", method: "POST", path: "^/api/fleet/enrollment_api_keys$" };
const roleRoute = (name: string): Route => ({ listener: "es", method: "PUT", path: `^/_security/role/${name}$` });
const fail500 = { kind: "commit-then-fail", status: 500, count: 1 } as const;
const garbled = (garble: NonNullable<FaultRule["garble"]>, status?: number) =>
  ({ kind: "commit-then-garble", garble, status, count: 1 }) as const;

/** The names of a program's resources: two of each type (so every fault of a route meets a create that can take it). */
const namesFor = (s: string) => ({
  roles: [`role-${s}-0`, `role-${s}-1`],
  agents: [`agent-${s}-0`, `agent-${s}-1`],
  ccs: [`cc-${s}-0`, `cc-${s}-1`],
  late: `cc-${s}-late`,
});
type Names = ReturnType<typeof namesFor>;

/**
 * Every route's faults: each key route answers a 500 and two garbled answers after committing, Fleet a 500 and a page,
 * each role one of them. A create can take all of its route's faults and still succeed within its attempts.
 */
const faultsFor = (n: Names): FaultRule[] => [
  { ...agentRoute, ...fail500 },
  { ...agentRoute, ...garbled("drop-product-header") },
  { ...agentRoute, ...garbled("html") },
  { ...ccRoute, ...fail500 },
  { ...ccRoute, ...garbled("retype") },
  { ...ccRoute, ...garbled("restatus") },
  { ...fleetRoute, ...fail500 },
  { ...fleetRoute, ...garbled("html") },
  { ...roleRoute(n.roles[0]), ...fail500 },
  { ...roleRoute(n.roles[1]), ...garbled("drop-product-header") },
];
/** Every attempt of the late key's create answered with something that proves nothing: the create fails. */
const everyAttemptGarbled: FaultRule[] = [
  { ...ccRoute, ...garbled("restatus"), count: 2 },
  { ...ccRoute, ...garbled("html", 502), count: 2 },
  { ...ccRoute, ...fail500 },
];

interface Held {
  resource: string;
  live: string[];
  inState: string[];
}

/** What the server holds for each resource of the program, beside the ids the stack's state holds. */
async function census(exportText: string, n: Names, policyId: string, fleetPrefix: string): Promise<Held[]> {
  // `pulumi stack export` as the CLI prints it, or its deployment (what the Automation API test stack gives).
  type Deployment = { resources?: { type: string; id?: string }[] };
  const parsed = JSON.parse(exportText) as Deployment & { deployment?: Deployment };
  const resources = (parsed.deployment ?? parsed).resources;
  const ids = (type: string) => (resources ?? []).filter((r) => r.type.endsWith(`:${type}`) && r.id).map((r) => r.id!);
  const held: Held[] = [];
  const roles = [];
  for (const role of n.roles) if ((await t.es("GET", `/_security/role/${role}`)).status === 200) roles.push(role);
  held.push({ resource: "ApmRole", live: roles, inState: ids("ApmRole") });
  const keys = async (names: string[]) =>
    (await Promise.all(names.map((k) => liveKeysNamed(t, k)))).flat().map((k) => k.id);
  held.push({ resource: "ApmAgentKey", live: await keys(n.agents), inState: ids("ApmAgentKey") });
  held.push({
    resource: "CrossClusterApiKey",
    live: await keys([...n.ccs, n.late]),
    inState: ids("CrossClusterApiKey"),
  });
  const fleet = (await activeEnrollmentKeys(t, policyId)).filter((k) => k.name.startsWith(fleetPrefix));
  held.push({ resource: "EnrollmentApiKey", live: fleet.map((k) => k.id), inState: ids("EnrollmentApiKey") });
  return held;
}

/** Asserts that every live object is in state, once, and every resource has its two objects. */
function assertStateHoldsAll(held: Held[], what: string): void {
  for (const h of held) {
    assert.deepEqual(
      [...h.live].sort(),
      [...h.inState].sort(),
      `${what}: ${h.resource} live is exactly what state holds`,
    );
    assert.equal(h.live.length, 2, `${what}: ${h.resource} both made`);
  }
}

/** The proxies the provider reaches Elastic through, recording every answer (and so every secret) that passed. */
async function proxies(): Promise<{ es: RecordingProxy; kibana: RecordingProxy; env: Record<string, string> }> {
  const es = await recordingProxy(t.esUrl);
  const kibana = await recordingProxy(t.kibanaUrl);
  return {
    es,
    kibana,
    env: { ...t.providerEnv(), ELASTICSEARCH_ENDPOINTS: es.url, KIBANA_ENDPOINT: kibana.url },
  };
}

/** The secrets of every answer that passed (at least the garbled answers' and the kept keys'). */
function secretsSeen(es: RecordingProxy, kibana: RecordingProxy): string[] {
  const secrets = [...es.secrets(), ...kibana.secrets()];
  // 2 agent keys, 2 + 1 cross-cluster keys and the garbled ones: api_key, encoded and the id prefix of each.
  assert.ok(secrets.length >= 3 * 9, `the proxies saw the keys' secrets (${secrets.length})`);
  return secrets;
}

describe("answers to a create that prove nothing are settled by its mark", () => {
  test(
    "a YAML program on the native plugin: 500s and garbled answers after the commit on every create route",
    emulatorOnly,
    async () => {
      const s = unique("ua");
      const n = namesFor(s);
      const policyId = await createAgentPolicy(t, unique("ua-policy"));
      const { es, kibana, env } = await proxies();
      const resources = (late: boolean) =>
        [
          ...n.roles.map((r, i) => `  role${i}:\n    type: elastic:index:ApmRole\n    properties:\n      name: ${r}\n`),
          ...n.agents.map(
            (a, i) =>
              `  agent${i}:\n    type: elastic:index:ApmAgentKey\n    properties:\n      name: ${a}\n      privileges: [event:write]\n`,
          ),
          ...[...n.ccs, ...(late ? [n.late] : [])].map(
            (c, i) =>
              `  cc${i}:\n    type: elastic:index:CrossClusterApiKey\n    properties:\n      name: ${c}\n      access:\n        search:\n          - names: [logs-*]\n`,
          ),
          ...[0, 1].map(
            (i) =>
              `  enroll${i}:\n    type: elastic:index:EnrollmentApiKey\n    properties:\n      policyId: ${policyId}\n`,
          ),
        ].join("");
      const program = (late: boolean) =>
        `name: pek-untrusted\nruntime: yaml\nplugins:\n  providers:\n    - name: elastic\n      path: ${PLUGIN_DIR}\nresources:\n${resources(late)}`;
      const around = { ...faultsCleared(t), afterCleanup: () => es.close().then(() => kibana.close()) };
      await withCliProject({ programYaml: program(false), env }, around).run(async (p) => {
        const exportText = async () => (await p.pulumi(["stack", "export"])).stdout;
        await p.pulumi(["stack", "init", "dev"]);
        t.emulator!.admin.clearRequests();
        t.emulator!.admin.setFaults(faultsFor(n));
        await p.pulumi(["up", "--yes"]);
        const creates = (path: string) =>
          t.emulator!.admin.requests().filter((r) => r.method === "POST" && r.path === path).length;
        // Each key route: two creates that landed plus three whose answers proved nothing.
        assert.ok(creates("/_security/api_key") >= 5 && creates("/_security/cross_cluster/api_key") >= 5, "faults met");
        assertStateHoldsAll(await census(await exportText(), n, policyId, "enroll"), "after up");
        await p.pulumi(["preview", "--expect-no-changes"]);

        // Every attempt of a new key's create garbled: up fails, and whatever the attempts made is gone.
        p.writeProgram(program(true));
        t.emulator!.admin.setFaults(everyAttemptGarbled);
        const failed = await p.pulumi(["up", "--yes"], { expectFailure: true });
        assert.match(failed.stdout + failed.stderr, /does not prove whether it was applied/);
        t.emulator!.admin.clearFaults();
        assert.deepEqual(await liveKeysNamed(t, n.late), [], "the failed create left no live key");
        assertStateHoldsAll(await census(await exportText(), n, policyId, "enroll"), "after the failed up");

        const exported = await exportText();
        await p.pulumi(["destroy", "--yes"]);
        const gone = await census(await exportText(), n, policyId, "enroll");
        assert.deepEqual(
          gone.flatMap((h) => h.live),
          [],
          "destroy leaves nothing live",
        );
        assert.deepEqual(leaked(p.transcript() + exported, secretsSeen(es, kibana)), [], "no secret in any output");
      });
    },
  );

  test("the dynamic resources (Automation API): the same faults, the same truth", emulatorOnly, async () => {
    const s = unique("ud");
    const n = namesFor(s);
    const policyId = await createAgentPolicy(t, unique("ud-policy"));
    const { es, kibana, env } = await proxies();
    let late = false;
    const program = async () => {
      n.roles.forEach((name, i) => new ApmRole(`role${i}`, { name }));
      n.agents.forEach((name, i) => new ApmAgentKey(`agent${i}`, { name, privileges: ["event:write"] }));
      [...n.ccs, ...(late ? [n.late] : [])].forEach(
        (name, i) => new CrossClusterApiKey(`cc${i}`, { name, access: { search: [{ names: "logs-*" }] } }),
      );
      [0, 1].forEach((i) => new EnrollmentApiKey(`enroll${i}`, { policyId }));
    };
    const around = { ...faultsCleared(t), afterCleanup: () => es.close().then(() => kibana.close()) };
    await withStack({ env, program }, around).run(async (stack) => {
      let output = "";
      const run = async <T>(op: () => Promise<T>): Promise<T> => {
        try {
          return await op();
        } finally {
          output += stack.log();
        }
      };
      t.emulator!.admin.setFaults(faultsFor(n));
      await run(() => stack.up());
      assertStateHoldsAll(await census(await stack.exportText(), n, policyId, "enroll"), "after up");

      late = true;
      t.emulator!.admin.setFaults(everyAttemptGarbled);
      const err = await run(() => stack.up()).then(
        () => assert.fail("up should fail"),
        (e: Error) => e,
      );
      assert.match(err.message, /does not prove whether it was applied/);
      output += err.message;
      t.emulator!.admin.clearFaults();
      assert.deepEqual(await liveKeysNamed(t, n.late), [], "the failed create left no live key");
      const exported = await stack.exportText();
      assertStateHoldsAll(await census(exported, n, policyId, "enroll"), "after the failed up");

      await run(() => stack.destroy());
      const gone = await census(await stack.exportText(), n, policyId, "enroll");
      assert.deepEqual(
        gone.flatMap((h) => h.live),
        [],
        "destroy leaves nothing live",
      );
      assert.deepEqual(leaked(output + exported, secretsSeen(es, kibana)), [], "no secret in any output");
    });
  });
});
