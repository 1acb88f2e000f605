// What changes outside Pulumi, and what no program can declare, through both front ends on the real CLI: an agent key
// widened with the update API is shown by refresh and repaired by `up` (ApmAgentKey SPEC R14); an import of a role
// holding more than an ApmRole declares is refused (ApmRole SPEC R9); role names no URL can address are refused at
// preview, nothing sent (ApmRole SPEC R8).
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { ApmAgentKey, ApmRole } from "../../sdk";
import { PLUGIN_DIR } from "../../scripts/lib/pulumi-cli";
import { createUser, keyById } from "../support/elastic-checks";
import { str } from "../support/outputs";
import { acceptanceMode, useTarget, unique, type ElasticTarget } from "../support/target";
import { withCliProject, withStack } from "../support/engine";

const t = useTarget({ before, after });
const emulatorOnly = { skip: acceptanceMode() ? "emulator only: reads the emulator's request log" : false };

const programYaml = (name: string, body: string): string =>
  `name: ${name}\nruntime: yaml\nplugins:\n  providers:\n    - name: elastic\n      path: ${PLUGIN_DIR}\n${body}`;

/** A superuser of its own, so the keys it makes are its own (the update API works only for the owner). */
const freshUser = (): Promise<{ username: string; password: string }> =>
  createUser(t, unique("oob").replace(/-/g, "_"), `pw-${unique("secret")}`, ["superuser"]);

/** What someone holding the owner's credential can do outside Pulumi: give the key all of the owner's privileges. */
async function widen(target: ElasticTarget, user: { username: string; password: string }, id: string) {
  const r = await target.es("PUT", `/_security/api_key/${id}`, { role_descriptors: {} }, user);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual((await keyById(target, id))?.role_descriptors, {});
}

const apmDescriptor = (privileges: string[]) => ({
  apm: { applications: [{ application: "apm", privileges, resources: ["*"] }] },
});
/** The key's role descriptors as granted privileges (empty lists and bookkeeping fields left out). */
async function granted(target: ElasticTarget, id: string): Promise<unknown> {
  const d = (await keyById(target, id))?.role_descriptors as Record<string, Record<string, unknown>>;
  return Object.fromEntries(Object.entries(d).map(([n, r]) => [n, { applications: r.applications }]));
}

/** Requests that reached a path a role name must never produce (the role list, or the security root). */
const strayRoleRequests = (target: ElasticTarget) =>
  (target.emulator?.admin.requests() ?? [])
    .filter((r) => /^\/_security\/(role\/?)?$/.test(r.path) || r.path.startsWith("/_security/role/."))
    .map((r) => `${r.method} ${r.path}`);

describe("changes outside Pulumi and what no program can declare", () => {
  test("YAML on the plugin: a widened agent key fails preview --expect-no-changes after refresh and up restores it; an import of a wider role is refused; role name '..' is refused at preview", async (ctx) => {
    const s = unique("yo");
    const user = await freshUser();
    const keyName = `agent-${s}`;
    const agent = `  agent:\n    type: elastic:index:ApmAgentKey\n    properties:\n      name: ${keyName}\n      privileges: [event:write]\n`;
    const body = (more = "") => `resources:\n${agent}${more}outputs:\n  keyId: \${agent.keyId}\n`;
    await withCliProject({ programYaml: programYaml("pek-yaml-oob", body()) }).run(async (p) => {
      await p.pulumi(["stack", "init", "dev"]);
      await p.pulumi(["config", "set", "elastic:elasticsearchEndpoints", t.esUrl]);
      await p.pulumi(["config", "set", "elastic:elasticsearchUsername", user.username]);
      await p.pulumi(["config", "set", "--secret", "elastic:elasticsearchPassword", user.password]);
      await p.pulumi(["up", "--yes"]);
      const keyId = JSON.parse((await p.pulumi(["stack", "output", "--json"])).stdout).keyId as string;

      // Item 9: widened out of band ⇒ refresh shows it, the no-change preview fails, up repairs the same key.
      await widen(t, user, keyId);
      const refreshed = await p.pulumi(["refresh", "--yes"]);
      assert.match(refreshed.stdout + refreshed.stderr, /changed outside Pulumi: its role_descriptors are empty/);
      await p.pulumi(["preview", "--expect-no-changes"], { expectFailure: true });
      await p.pulumi(["up", "--yes"]);
      assert.deepEqual(await granted(t, keyId), apmDescriptor(["event:write"]), "restored on the same key");
      assert.equal((await keyById(t, keyId))?.invalidated, false);
      await p.pulumi(["refresh", "--yes"]);
      await p.pulumi(["preview", "--expect-no-changes"]);

      // Item 10: a role shaped like an ApmRole that also holds indices and run_as is not imported; it stays as it was.
      const roleName = `wider-${s}`;
      const wider = {
        cluster: ["manage_own_api_key"],
        indices: [{ names: ["logs-*"], privileges: ["read"] }],
        run_as: ["someone"],
        applications: [
          { application: "apm", privileges: ["event:write", "config_agent:read"], resources: ["*"] },
          { application: "kibana-.kibana", privileges: ["feature_apm.all"], resources: ["space:default"] },
        ],
      };
      assert.equal((await t.es("PUT", `/_security/role/${roleName}`, wider)).status, 200);
      const before = (await t.es("GET", `/_security/role/${roleName}`)).body;
      const refused = await p.pulumi(["import", "elastic:index:ApmRole", "wider", roleName, "--yes"], {
        expectFailure: true,
      });
      assert.match(
        refused.stdout + refused.stderr,
        new RegExp(
          `role "${roleName}" cannot be imported as an ApmRole[\\s\\S]*index privileges \\(\`indices\`\\); \`run_as\``,
        ),
      );
      assert.deepEqual((await t.es("GET", `/_security/role/${roleName}`)).body, before, "the role is untouched");

      // Smaller: a role named ".." is refused at preview; no request reaches the role list or the security root.
      p.writeProgram(
        programYaml(
          "pek-yaml-oob",
          body(`  dots:\n    type: elastic:index:ApmRole\n    properties:\n      name: ".."\n`),
        ),
      );
      t.emulator?.admin.clearRequests();
      const dots = await p.pulumi(["preview"], { expectFailure: true });
      assert.match(
        dots.stdout + dots.stderr,
        /ApmRole resource 'dots' has a problem: name: must not be "\." or "\.\."/,
      );
      if (t.emulator) assert.deepEqual(strayRoleRequests(t), []);
      ctx.diagnostic(`requests during the refused preview: ${t.emulator?.admin.requests().length ?? "n/a"}`);
    });
  });

  test(
    "dynamic resources: a widened agent key shows as a change after refresh and up restores it; role name '.' is refused at preview, nothing sent",
    emulatorOnly,
    async () => {
      const user = await freshUser();
      const keyName = unique("dyn-agent");
      await withStack({
        env: t.providerEnv(user),
        program: async () => {
          const key = new ApmAgentKey("agent", { name: keyName, privileges: ["event:write"] });
          return { keyId: key.keyId };
        },
      }).run(async (s) => {
        const up = await s.up();
        const keyId = str(up.outputs, "keyId");
        await widen(t, user, keyId);
        const refreshed = await s.refresh();
        assert.match(refreshed.stdout, /changed outside Pulumi: its role_descriptors are empty/);
        await assert.rejects(s.stack.preview({ expectNoChanges: true, onOutput: () => {} }));
        const repaired = await s.up();
        assert.equal(repaired.summary.resourceChanges?.update, 1, "repaired in place");
        assert.equal(str(repaired.outputs, "keyId"), keyId);
        assert.deepEqual(await granted(t, keyId), apmDescriptor(["event:write"]));
        await s.refresh();
        await s.stack.preview({ expectNoChanges: true, onOutput: () => {} });
      });
      // A stack of its own: a refused resource aborts the program's other registrations.
      await withStack({
        env: t.providerEnv(user),
        program: async () => void new ApmRole("dots", { name: "." }),
      }).run(async (dots) => {
        t.emulator!.admin.clearRequests();
        await assert.rejects(dots.preview(), /name: must not be "\." or "\.\."/);
        assert.deepEqual(strayRoleRequests(t), []);
      });
    },
  );
});
