// Which cluster a resource lives on, on the real CLI with two emulators (README, Configuration: what identifies a
// cluster). Through the native plugin (YAML programs as a user types them): resources moved to another provider,
// an explicit provider re-pointed, the default provider's `elastic:elasticsearchEndpoints` changed — each time every
// object ends on the new cluster and nothing of ours stays on the old one, and nobody else's object is read,
// overwritten or deleted; explicit providers named like default ones keep their own cluster; settle-pending acts only
// on the cluster a create was sent to. Through the dynamic resources: a change of cluster is refused at preview, and
// refresh/destroy never act on another cluster. After each step, every cluster is asked what it holds.
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { ApmAgentKey, ApmRole } from "../../sdk";
import type { CliProject } from "../../scripts/lib/cli-project";
import { withCliProject, withStack } from "../support/engine";
import { PLUGIN_DIR, REPO_ROOT } from "../../scripts/lib/pulumi-cli";
import {
  counted,
  holdings,
  otherCluster,
  policyOn,
  targetCluster,
  userOn,
  type Cluster,
  type Holdings,
} from "../support/clusters";
import { str } from "../support/outputs";
import { acceptanceMode, unique, useTarget } from "../support/target";

const t = useTarget({ before, after });
const emulatorOnly = { skip: acceptanceMode() ? "emulator only" : false };

const A: Cluster = targetCluster(t);
let B: Cluster & { stop(): Promise<void> };
before(async () => {
  B = await otherCluster();
});
after(async () => {
  await B?.stop();
});

const programYaml = (name: string, body: string): string =>
  `name: ${name}\nruntime: yaml\nplugins:\n  providers:\n    - name: elastic\n      path: ${PLUGIN_DIR}\n${body}`;

type User = { username: string; password: string };

/** An explicit provider's YAML, its password from a secret config value. */
const providerYaml = (name: string, c: Cluster, passwordConfig: string, user: User) =>
  `  ${name}:\n    type: pulumi:providers:elastic\n    properties:\n      elasticsearchEndpoints: ${c.esUrl}\n      kibanaEndpoint: ${c.kibanaUrl}\n      elasticsearchUsername: ${user.username}\n      elasticsearchPassword: \${${passwordConfig}}\n`;

/** One of each resource, named after the suffix, on the given provider (none: the default provider). */
function resourcesYaml(s: string, policyId: string, provider?: string): string {
  const opts = provider ? `    options:\n      provider: \${${provider}}\n` : "";
  return [
    `  role:\n    type: elastic:index:ApmRole\n    properties:\n      name: role-${s}\n${opts}`,
    `  agent:\n    type: elastic:index:ApmAgentKey\n    properties:\n      name: agent-${s}\n      privileges: [event:write]\n${opts}`,
    `  cc:\n    type: elastic:index:CrossClusterApiKey\n    properties:\n      name: cc-${s}\n      access:\n        search:\n          - names: [logs]\n${opts}`,
    `  enroll:\n    type: elastic:index:EnrollmentApiKey\n    properties:\n      policyId: ${policyId}\n      namePrefix: enroll-${s}\n${opts}`,
  ].join("");
}

const all = (s: string): Holdings => ({
  roles: [`role-${s}`],
  apiKeys: [`agent-${s}`, `cc-${s}`],
  enrollmentKeys: [expectPrefix(`enroll-${s}`)],
});
/** Enrollment key names carry a random suffix: compared by prefix. */
const expectPrefix = (prefix: string) => `${prefix}-*`;
const NOTHING: Holdings = { roles: [], apiKeys: [], enrollmentKeys: [] };

async function held(c: Cluster, s: string): Promise<Holdings> {
  const h = await holdings(c, s);
  return { ...h, enrollmentKeys: h.enrollmentKeys.map((n) => n.replace(/-[0-9a-f]{8}$/, "-*")) };
}

/** Logs what every cluster holds (the report's figures) and checks it. */
async function expectHoldings(s: string, step: string, a: Holdings, b: Holdings): Promise<void> {
  const [onA, onB] = [await held(A, s), await held(B, s)];
  console.log(`# ${step}: A ${JSON.stringify(counted(onA))}, B ${JSON.stringify(counted(onB))}`);
  assert.deepEqual({ A: onA, B: onB }, { A: a, B: b }, step);
}

async function stackWithPasswords(p: CliProject, passwords: Record<string, string>): Promise<void> {
  await p.pulumi(["stack", "init", "dev"]);
  for (const [k, v] of Object.entries(passwords)) await p.pulumi(["config", "set", "--secret", k, v]);
}

describe("the native plugin: a change of cluster moves the resources (create on the new, delete on the old)", () => {
  test("resources given another provider on another cluster are created there and deleted from the first", async () => {
    const s = unique("mv");
    const policy = unique("mvpol");
    await policyOn(A, policy);
    await policyOn(B, policy);
    const [ua, ub] = [await userOn(A, `mv_a_${s.replace(/-/g, "_")}`), await userOn(B, `mv_b_${s.replace(/-/g, "_")}`)];
    const header = `config:\n  pa:\n    type: string\n    secret: true\n  pb:\n    type: string\n    secret: true\nresources:\n${providerYaml("a", A, "pa", ua)}${providerYaml("b", B, "pb", ub)}`;
    const onA = programYaml("pek-move", header + resourcesYaml(s, policy, "a"));
    await withCliProject({ programYaml: onA }).run(async (p) => {
      await stackWithPasswords(p, { pa: ua.password, pb: ub.password });
      await p.pulumi(["up", "--yes"]);
      await expectHoldings(s, "on provider a", all(s), NOTHING);

      p.writeProgram(programYaml("pek-move", header + resourcesYaml(s, policy, "b")));
      const preview = await p.pulumi(["preview", "--diff"]);
      assert.match(preview.stdout, /\+-4 to replace|4 to replace/);
      await p.pulumi(["up", "--yes"]);
      await expectHoldings(s, "moved to provider b", NOTHING, all(s));
      await p.pulumi(["preview", "--expect-no-changes"]);
      await p.pulumi(["refresh", "--yes"]);
      await expectHoldings(s, "after refresh", NOTHING, all(s));
      await p.pulumi(["destroy", "--yes"]);
      await expectHoldings(s, "after destroy", NOTHING, NOTHING);
    });
  });

  test("an explicit provider re-pointed at another cluster moves its resources; someone else's role of the same name there is never read, overwritten or deleted", async () => {
    const s = unique("rp");
    const [ua, ub] = [await userOn(A, `rp_a_${s.replace(/-/g, "_")}`), await userOn(B, `rp_b_${s.replace(/-/g, "_")}`)];
    const theirs = { cluster: ["monitor"], metadata: { owner: "someone else" } };
    assert.equal((await B.es("PUT", `/_security/role/role-${s}`, theirs)).status, 200);
    const theirRole = async () => (await B.es("GET", `/_security/role/role-${s}`)).body;
    const before = await theirRole();
    const program = (c: Cluster, user: User, roleName: string) =>
      programYaml(
        "pek-repoint",
        `config:\n  pw:\n    type: string\n    secret: true\nresources:\n${providerYaml("p", c, "pw", user)}` +
          `  role:\n    type: elastic:index:ApmRole\n    properties:\n      name: ${roleName}\n    options:\n      provider: \${p}\n` +
          `  agent:\n    type: elastic:index:ApmAgentKey\n    properties:\n      name: agent-${s}\n      privileges: [event:write]\n    options:\n      provider: \${p}\n`,
      );
    const theirsOnly: Holdings = { roles: [`role-${s}`], apiKeys: [], enrollmentKeys: [] };
    await withCliProject({ programYaml: program(A, ua, `role-${s}`) }).run(async (p) => {
      await stackWithPasswords(p, { pw: ua.password });
      await p.pulumi(["up", "--yes"]);
      await expectHoldings(
        s,
        "on A",
        { roles: [`role-${s}`], apiKeys: [`agent-${s}`], enrollmentKeys: [] },
        theirsOnly,
      );

      // Re-pointed at B, where a role of that name is someone else's: its create there is refused, nothing of theirs
      // is touched, and our role stays on A, in state.
      p.writeProgram(program(B, ub, `role-${s}`));
      await p.pulumi(["config", "set", "--secret", "pw", ub.password]);
      const refused = await p.pulumi(["up", "--yes"], { expectFailure: true });
      assert.match(refused.stdout + refused.stderr, new RegExp(`a role named "role-${s}" already exists`));
      assert.deepEqual(await theirRole(), before, "their role is not overwritten");
      assert.deepEqual((await held(A, s)).roles, [`role-${s}`], "ours stays on A");
      B.emulator!.admin.clearRequests();
      await p.pulumi(["refresh", "--yes"]);
      assert.deepEqual(
        B.emulator!.admin.requests().filter((r) => r.path.includes(`role-${s}`)),
        [],
        "refresh never reads their role",
      );

      // Renamed, our role moves too: A holds nothing of ours, their role is as it was.
      p.writeProgram(program(B, ub, `role2-${s}`));
      await p.pulumi(["up", "--yes"]);
      await expectHoldings(s, "re-pointed at B", NOTHING, {
        roles: [`role-${s}`, `role2-${s}`],
        apiKeys: [`agent-${s}`],
        enrollmentKeys: [],
      });
      await p.pulumi(["preview", "--expect-no-changes"]);
      await p.pulumi(["destroy", "--yes"]);
      await expectHoldings(s, "after destroy", NOTHING, theirsOnly);
      assert.deepEqual(await theirRole(), before, "their role is never deleted");
    });
  });

  test("the default provider's elastic:elasticsearchEndpoints (and kibanaEndpoint) changed: every resource moves, deleted from the old cluster with its own credentials", async () => {
    const s = unique("dp");
    const policy = unique("dppol");
    await policyOn(A, policy);
    await policyOn(B, policy);
    const [ua, ub] = [await userOn(A, `dp_a_${s.replace(/-/g, "_")}`), await userOn(B, `dp_b_${s.replace(/-/g, "_")}`)];
    await withCliProject({
      programYaml: programYaml("pek-default-move", `resources:\n${resourcesYaml(s, policy)}`),
    }).run(async (p) => {
      const configure = async (c: Cluster, u: User) => {
        await p.pulumi(["config", "set", "elastic:elasticsearchEndpoints", c.esUrl]);
        await p.pulumi(["config", "set", "elastic:kibanaEndpoint", c.kibanaUrl]);
        await p.pulumi(["config", "set", "elastic:elasticsearchUsername", u.username]);
        await p.pulumi(["config", "set", "--secret", "elastic:elasticsearchPassword", u.password]);
      };
      await p.pulumi(["stack", "init", "dev"]);
      await configure(A, ua);
      await p.pulumi(["up", "--yes"]);
      await expectHoldings(s, "default provider on A", all(s), NOTHING);
      // B's user cannot sign in on A: the old resources can only be deleted with what the old provider recorded.
      await configure(B, ub);
      const preview = await p.pulumi(["preview"]);
      assert.match(preview.stdout, /4 to replace/);
      await p.pulumi(["up", "--yes"]);
      await expectHoldings(s, "default provider on B", NOTHING, all(s));
      await p.pulumi(["preview", "--expect-no-changes"]);
      await p.pulumi(["refresh", "--yes"]);
      await p.pulumi(["destroy", "--yes"]);
      await expectHoldings(s, "after destroy", NOTHING, NOTHING);
    });
  });

  test("credentials alone changing never replaces anything", async () => {
    const s = unique("cr");
    const [u1, u2] = [await userOn(A, `cr1_${s.replace(/-/g, "_")}`), await userOn(A, `cr2_${s.replace(/-/g, "_")}`)];
    await withCliProject({
      programYaml: programYaml(
        "pek-creds",
        `resources:\n  role:\n    type: elastic:index:ApmRole\n    properties:\n      name: role-${s}\n`,
      ),
    }).run(async (p) => {
      await p.pulumi(["stack", "init", "dev"]);
      await p.pulumi(["config", "set", "elastic:elasticsearchEndpoints", A.esUrl]);
      await p.pulumi(["config", "set", "elastic:elasticsearchUsername", u1.username]);
      await p.pulumi(["config", "set", "--secret", "elastic:elasticsearchPassword", u1.password]);
      await p.pulumi(["up", "--yes"]);
      await p.pulumi(["config", "set", "elastic:elasticsearchUsername", u2.username]);
      await p.pulumi(["config", "set", "--secret", "elastic:elasticsearchPassword", u2.password]);
      // Adding a node of the same cluster is no move either.
      await p.pulumi(["config", "set", "elastic:elasticsearchEndpoints", `${A.esUrl}/,http://127.0.0.1:1`]);
      const preview = await p.pulumi(["preview", "--diff"]);
      assert.doesNotMatch(preview.stdout, /to replace/);
      await p.pulumi(["up", "--yes"]);
      assert.deepEqual((await held(A, s)).roles, [`role-${s}`]);
      await p.pulumi(["preview", "--expect-no-changes"]);
    });
  });
});

describe("the native plugin: state written before the records", () => {
  test("resources and their provider get their records at the next up, without a replacement and without a request", async () => {
    const s = unique("ly");
    const ua = await userOn(A, `ly_a_${s.replace(/-/g, "_")}`);
    await withCliProject({
      programYaml: programYaml(
        "pek-legacy",
        `resources:\n  role:\n    type: elastic:index:ApmRole\n    properties:\n      name: role-${s}\n  agent:\n    type: elastic:index:ApmAgentKey\n    properties:\n      name: agent-${s}\n      privileges: [event:write]\n`,
      ),
    }).run(async (p) => {
      await p.pulumi(["stack", "init", "dev"]);
      await p.pulumi(["config", "set", "elastic:elasticsearchEndpoints", A.esUrl]);
      await p.pulumi(["config", "set", "elastic:elasticsearchUsername", ua.username]);
      await p.pulumi(["config", "set", "--secret", "elastic:elasticsearchPassword", ua.password]);
      await p.pulumi(["up", "--yes"]);
      // As an earlier version wrote it: no cluster record, no provider flag.
      const file = path.join(p.dir, "state.json");
      const exported = JSON.parse((await p.pulumi(["stack", "export"])).stdout) as {
        deployment: { resources: { inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }[] };
      };
      for (const r of exported.deployment.resources)
        for (const props of [r.inputs, r.outputs]) {
          delete props?.__cluster;
          delete props?.__stackConfigured;
        }
      writeFileSync(file, JSON.stringify(exported));
      await p.pulumi(["stack", "import", "--file", file]);
      A.emulator!.admin.clearRequests();
      const up = await p.pulumi(["up", "--yes"]);
      assert.match(up.stdout, /~ 2 updated/);
      assert.doesNotMatch(up.stdout, /replace/);
      assert.deepEqual(
        A.emulator!.admin.requests().filter((r) => r.method !== "GET"),
        [],
        "nothing sent (a create's privilege check would be a POST)",
      );
      assert.match((await p.pulumi(["stack", "export"])).stdout, /"__cluster"/);
      await p.pulumi(["preview", "--expect-no-changes"]);
    });
  });
});

describe("the native plugin: default-ness comes from what the engine tells, never from a name", () => {
  test("explicit providers named `default` and `default_1_2_3` declaring B keep their resources on B while the stack config says A", async () => {
    const s = unique("dn");
    const ua = await userOn(A, `dn_a_${s.replace(/-/g, "_")}`);
    const ub = await userOn(B, `dn_b_${s.replace(/-/g, "_")}`);
    const res = (logical: string, provider: string) =>
      `  ${logical}:\n    type: elastic:index:ApmAgentKey\n    properties:\n      name: ${logical}-${s}\n      privileges: [event:write]\n    options:\n      provider: \${${provider}}\n`;
    const onB: Holdings = { roles: [`role-${s}`], apiKeys: [`one-${s}`, `two-${s}`], enrollmentKeys: [] };
    await withCliProject({
      programYaml: programYaml(
        "pek-default-names",
        `config:\n  pb:\n    type: string\n    secret: true\nresources:\n${providerYaml("default", B, "pb", ub)}${providerYaml("default_1_2_3", B, "pb", ub)}${res("one", "default")}${res("two", "default_1_2_3")}` +
          `  role:\n    type: elastic:index:ApmRole\n    properties:\n      name: role-${s}\n    options:\n      provider: \${default}\n`,
      ),
    }).run(async (p) => {
      await p.pulumi(["stack", "init", "dev"]);
      await p.pulumi(["config", "set", "elastic:elasticsearchEndpoints", A.esUrl]);
      await p.pulumi(["config", "set", "elastic:kibanaEndpoint", A.kibanaUrl]);
      await p.pulumi(["config", "set", "elastic:elasticsearchUsername", ua.username]);
      await p.pulumi(["config", "set", "--secret", "elastic:elasticsearchPassword", ua.password]);
      await p.pulumi(["config", "set", "--secret", "pb", ub.password]);
      A.emulator!.admin.clearRequests();
      await p.pulumi(["up", "--yes"]);
      await expectHoldings(s, "explicit `default` providers", NOTHING, onB);
      await p.pulumi(["refresh", "--yes"]);
      await p.pulumi(["preview", "--expect-no-changes"]);
      await p.pulumi(["destroy", "--yes"]);
      await expectHoldings(s, "after destroy", NOTHING, NOTHING);
      assert.deepEqual(
        A.emulator!.admin.requests().filter((r) => r.path.includes(s) || r.method !== "GET"),
        [],
        "nothing was sent to A",
      );
    });
  });
});

/** The processes whose parent is `pid` (from /proc), with their command lines. */
function childrenOf(pid: number): { pid: number; cmd: string }[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => {
      try {
        const ppid = Number(
          readFileSync(`/proc/${d}/stat`, "utf8")
            .replace(/^.*\) /s, "")
            .split(" ")[1],
        );
        return ppid === pid ? [{ pid: Number(d), cmd: readFileSync(`/proc/${d}/cmdline`, "utf8").split("\0")[0] }] : [];
      } catch {
        return [];
      }
    });
}

/** Whether a process still runs (a zombie waiting to be reaped does not). */
function running(pid: number): boolean {
  try {
    return existsSync(`/proc/${pid}`) && readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /s, "")[0] !== "Z";
  } catch {
    return false;
  }
}

/** `pulumi-elastic-keys settle-pending`, fed an export, with the given connection env. */
function settlePending(exported: string, env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, "dist/cli/bin.js"), "settle-pending"], {
      env: { PATH: process.env.PATH, ...env },
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d));
    child.stderr.on("data", (d: Buffer) => (out += d));
    child.on("close", (code) => resolve({ code, out }));
    child.stdin.end(exported);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("a killed CLI (kill -9) with creates in flight on provider B", () => {
  test(
    "the plugin exits once its engine is gone; settle-pending with A's settings refuses and touches nothing, with B's it removes what the create made",
    emulatorOnly,
    async () => {
      const s = unique("sp");
      const ub = await userOn(B, `sp_b_${s.replace(/-/g, "_")}`);
      const emulatorB = B.emulator!;
      const programYamlB = programYaml(
        "pek-settle",
        `config:\n  pb:\n    type: string\n    secret: true\nresources:\n${providerYaml("b", B, "pb", ub)}` +
          `  agent:\n    type: elastic:index:ApmAgentKey\n    properties:\n      name: agent-${s}\n      privileges: [event:write]\n    options:\n      provider: \${b}\n`,
      );
      const faultsClearedOnB = { beforeCleanup: () => emulatorB.admin.clearFaults() };
      await withCliProject({ programYaml: programYamlB }, faultsClearedOnB).run(async (p) => {
        await stackWithPasswords(p, { pb: ub.password });
        emulatorB.admin.setFaults([
          { listener: "es", method: "POST", path: "^/_security/api_key$", kind: "latency", latencyMs: 4_000, count: 1 },
        ]);
        emulatorB.admin.clearRequests();
        const cli = p.start(["up", "--yes"]);
        const exited = new Promise((r) => cli.once("exit", r));
        while (!emulatorB.admin.requests().some((r) => r.path === "/_security/user/_has_privileges")) await sleep(50);
        await sleep(500);
        const children = childrenOf(cli.pid!);
        const plugins = children.filter((c) => /node$/.test(c.cmd));
        const hosts = children.filter((c) => /pulumi-language-yaml$/.test(c.cmd));
        assert.ok(plugins.length >= 1, `the plugin runs under the CLI: ${JSON.stringify(children)}`);
        process.kill(cli.pid!, "SIGKILL");
        await exited;
        // The plugin notices within a few seconds (its parent is gone); nothing asks it anything any more.
        const started = Date.now();
        while (plugins.some((c) => running(c.pid)) && Date.now() - started < 60_000) await sleep(200);
        assert.deepEqual(
          plugins.filter((c) => running(c.pid)),
          [],
          "the plugin processes exited after their engine was killed",
        );
        console.log(
          `# plugin gone ${Date.now() - started} ms after the kill; YAML host still running: ${hosts.filter((h) => running(h.pid)).length}/${hosts.length}`,
        );

        // The server carries the create out after its delay: a key that only the pending create knows about.
        while (!emulatorB.admin.requests().some((r) => r.method === "POST" && r.path === "/_security/api_key"))
          await sleep(100);
        await sleep(200);
        assert.deepEqual((await held(B, s)).apiKeys, [`agent-${s}`]);
        await p.pulumi(["cancel", "--yes"]);
        const exported = (await p.pulumi(["stack", "export"])).stdout;
        assert.equal(
          (JSON.parse(exported) as { deployment: { pending_operations?: unknown[] } }).deployment.pending_operations
            ?.length,
          1,
        );

        A.emulator!.admin.clearRequests();
        const refused = await settlePending(exported, t.providerEnv());
        assert.equal(refused.code, 1, refused.out);
        assert.match(
          refused.out,
          new RegExp(
            `not settled: .*it was sent to ${B.esUrl.replace(/[/.]/g, "\\$&")}[\\s\\S]*ELASTICSEARCH_ENDPOINTS=`,
          ),
        );
        assert.deepEqual(A.emulator!.admin.requests(), [], "nothing was sent to A");
        assert.deepEqual((await held(B, s)).apiKeys, [`agent-${s}`], "B's key untouched");

        const settled = await settlePending(exported, {
          ELASTICSEARCH_ENDPOINTS: B.esUrl,
          ELASTICSEARCH_USERNAME: ub.username,
          ELASTICSEARCH_PASSWORD: ub.password,
        });
        assert.equal(settled.code, 0, settled.out);
        assert.match(settled.out, /ApmAgentKey::agent: removed \S+/);
        await expectHoldings(s, "settled", NOTHING, NOTHING);
        await p.pulumi(["refresh", "--clear-pending-creates", "--yes"]);
        await p.pulumi(["up", "--yes"]);
        await expectHoldings(s, "up again", NOTHING, { roles: [], apiKeys: [`agent-${s}`], enrollmentKeys: [] });
      });
    },
  );
});

/** The dynamic resources' connection env for a cluster and user. */
const envFor = (c: Cluster, u: User): Record<string, string> => ({
  ELASTICSEARCH_ENDPOINTS: c.esUrl,
  KIBANA_ENDPOINT: c.kibanaUrl,
  ELASTICSEARCH_USERNAME: u.username,
  ELASTICSEARCH_PASSWORD: u.password,
  ELASTIC_KEYS_HTTP_BASE_DELAY_MS: "20",
});

/** What state holds of each of our resources: its URN, id and recorded cluster. */
async function recorded(st: {
  exportText(): Promise<string>;
}): Promise<{ urn: string; id?: string; cluster?: unknown }[]> {
  const { resources } = JSON.parse(await st.exportText()) as {
    resources: { urn: string; id?: string; type: string; outputs?: Record<string, unknown> }[];
  };
  return resources
    .filter((r) => r.type.includes("elastic:"))
    .map((r) => ({ urn: r.urn, id: r.id, cluster: r.outputs?.__cluster }));
}

describe("the dynamic resources: each resource records its cluster, and never acts on another", () => {
  test("settings that now name another cluster: preview refuses with what to do; refresh and destroy send nothing there and leave state as it was", async () => {
    const s = unique("dy");
    const [ua, ub] = [await userOn(A, `dy_a_${s.replace(/-/g, "_")}`), await userOn(B, `dy_b_${s.replace(/-/g, "_")}`)];
    const onA: Holdings = { roles: [`role-${s}`], apiKeys: [`agent-${s}`], enrollmentKeys: [] };
    await withStack({
      env: envFor(A, ua),
      program: async () => {
        new ApmRole("role", { name: `role-${s}` });
        return { keyId: new ApmAgentKey("agent", { name: `agent-${s}`, privileges: ["event:write"] }).keyId };
      },
    }).run(async (st) => {
      await st.up();
      await expectHoldings(s, "dynamic on A", onA, NOTHING);
      const state = await recorded(st);
      assert.deepEqual(
        state.map((r) => r.cluster),
        [A.esUrl, A.esUrl],
        "each resource records its cluster",
      );

      st.setEnv(envFor(B, ub));
      B.emulator!.admin.clearRequests();
      await assert.rejects(st.preview(), (e: Error) => {
        assert.match(
          e.message,
          /lives on http:\/\/127\.0\.0\.1:\d+, but the settings now name http:\/\/127\.0\.0\.1:\d+: a change of cluster cannot be carried out here[\s\S]*destroy them with the old endpoints first[\s\S]*native plugin/,
        );
        return true;
      });
      for (const op of [() => st.refresh(), () => st.destroy()])
        await assert.rejects(op(), /lives on [\s\S]*nothing was sent there, and state is unchanged/);
      assert.deepEqual(B.emulator!.admin.requests(), [], "nothing was sent to B");
      assert.deepEqual(await recorded(st), state, "state is unchanged");
      await expectHoldings(s, "still on A", onA, NOTHING);

      st.setEnv(envFor(A, ua));
      await st.destroy();
      await expectHoldings(s, "destroyed on A", NOTHING, NOTHING);
    });
  });

  test("state written before the record gets it at the next up: an update that sends nothing, also for a replace-only type", async () => {
    const s = unique("lg");
    await withStack({
      env: t.providerEnv(),
      program: async () => {
        new ApmRole("role", { name: `role-${s}` });
        return { keyId: new ApmAgentKey("agent", { name: `agent-${s}`, privileges: ["event:write"] }).keyId };
      },
    }).run(async (st) => {
      const first = await st.up();
      // As an earlier version wrote it: no record in inputs or outputs.
      const deployment = await st.stack.exportStack();
      for (const r of (deployment.deployment as { resources: { inputs?: object; outputs?: object }[] }).resources)
        for (const props of [r.inputs, r.outputs]) if (props) delete (props as Record<string, unknown>).__cluster;
      assert.doesNotMatch(JSON.stringify(deployment), /__cluster/);
      await st.stack.importStack(deployment);
      A.emulator!.admin.clearRequests();
      const up = await st.up();
      assert.deepEqual(up.summary.resourceChanges, { same: 1, update: 2 }, "recorded without a replacement");
      assert.deepEqual(
        A.emulator!.admin.requests().filter((r) => r.method !== "GET"),
        [],
        "nothing sent (the privilege check of a create would be a POST)",
      );
      assert.equal(str(up.outputs, "keyId"), str(first.outputs, "keyId"), "the same key");
      assert.match(await st.exportText(), /"__cluster"/);
      await st.stack.preview({ expectNoChanges: true, onOutput: () => {} });
    });
  });
});
