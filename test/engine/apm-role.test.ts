// ApmRole on the real engine. Requirement numbers refer to provider/resources/apm-role/SPEC.md.
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { ApmRole } from "../../sdk";
import { createUser, leaked } from "../support/elastic-checks";
import { withCliProject, withStack } from "../support/engine";
import { PLUGIN_DIR } from "../../scripts/lib/pulumi-cli";
import { sameAtEveryVersion, useTarget, unique } from "../support/target";

const t = useTarget({ before, after });

interface RoleDoc {
  cluster: string[];
  applications: { application: string; privileges: string[]; resources: string[] }[];
  indices: unknown[];
  description?: string;
}
async function role(name: string): Promise<RoleDoc | undefined> {
  const r = await t.es("GET", `/_security/role/${encodeURIComponent(name)}`);
  return r.status === 200 ? (r.body as Record<string, RoleDoc>)[name] : undefined;
}
const app = (doc: RoleDoc | undefined, application: string) =>
  doc?.applications.find((a) => a.application === application);

describe("ApmRole", () => {
  test("create, no-op, update in place, drift repaired, rename replaces, destroy", async () => {
    let name = unique("apm-writer");
    const first = name;
    let spaces = ["default"];
    let privileges: ("event:write" | "config_agent:read")[] | undefined;
    const description = t.atLeast(8, 15) ? "APM agent key creators" : undefined;
    await withStack({
      env: t.providerEnv(),
      program: async () => ({
        // A role description is Elasticsearch 8.15's (see the test below for 8.14).
        name: new ApmRole("writer", { name, spaces, privileges, description }).name,
      }),
    }).run(async (s) => {
      // R1, R2: the role docs/elastic-api.md A.6 describes.
      const up = await s.up();
      assert.equal(up.summary.resourceChanges?.create, 2);
      let doc = await role(name);
      assert.deepEqual(doc?.cluster, ["manage_own_api_key"]);
      assert.deepEqual(app(doc, "apm"), {
        application: "apm",
        privileges: ["config_agent:read", "event:write"],
        resources: ["*"],
      });
      assert.deepEqual(app(doc, "kibana-.kibana"), {
        application: "kibana-.kibana",
        privileges: ["feature_apm.all"],
        resources: ["space:default"],
      });
      assert.deepEqual(leaked(await s.exportText(), [t.superuser.password]), []);
      assert.equal(doc?.description, description);

      // R3: reordered and repeated lists are no change.
      privileges = ["event:write", "config_agent:read", "event:write"];
      assert.deepEqual((await s.up()).summary.resourceChanges, { same: 2 });

      // R4: anything but the name updates in place.
      spaces = ["default", "observability"];
      privileges = ["event:write"];
      const preview = await s.preview();
      assert.equal(preview.changeSummary.update, 1);
      assert.equal((await s.up()).summary.resourceChanges?.update, 1);
      doc = await role(name);
      assert.deepEqual(app(doc, "kibana-.kibana")?.resources, ["space:default", "space:observability"]);
      assert.deepEqual(app(doc, "apm")?.privileges, ["event:write"]);

      // R6: an out-of-band edit shows after refresh and the next up repairs it.
      const edited = await t.es("PUT", `/_security/role/${name}`, {
        cluster: ["manage_own_api_key", "monitor"],
        indices: [{ names: ["logs-*"], privileges: ["read"] }],
        applications: [{ application: "apm", privileges: ["event:write", "config_agent:read"], resources: ["*"] }],
      });
      assert.equal(edited.status, 200);
      await s.refresh();
      assert.equal((await s.preview()).changeSummary.update, 1, "drift shows as an update");
      await s.up();
      doc = await role(name);
      assert.deepEqual(doc?.cluster, ["manage_own_api_key"]);
      assert.deepEqual(doc?.indices, []);
      assert.deepEqual(app(doc, "kibana-.kibana")?.resources, ["space:default", "space:observability"]);
      assert.deepEqual((await s.preview()).changeSummary, { same: 2 });

      // R6: deleted out of band ⇒ dropped by refresh, recreated by up.
      await t.es("DELETE", `/_security/role/${name}`);
      assert.equal((await s.refresh()).summary.resourceChanges?.delete, 1);
      assert.equal((await s.up()).summary.resourceChanges?.create, 1);
      assert.ok(await role(name));

      // R4: a new name replaces, old role deleted first.
      name = unique("apm-writer-renamed");
      assert.equal((await s.preview()).changeSummary.replace, 1);
      await s.up();
      assert.equal(await role(first), undefined);
      assert.ok(await role(name));

      // R7: destroy removes the role.
      await s.destroy();
      assert.equal(await role(name), undefined);
      if (t.emulator)
        assert.ok(!t.emulator.admin.state().roles.some((r) => r.name === name || r.name === first), "hard-deleted");
      // The role query API (`_security/_query/role`) is Elasticsearch 8.15's: the lifecycle never needs it.
      if (t.emulator)
        assert.deepEqual(
          t.emulator.admin.requests().filter((r) => r.path.includes("_query/role")),
          [],
          "no role query",
        );
    });
  });

  test(
    "creating over an existing role fails with a clear error unless adoptExisting is set (R5), and destroy tolerates 404 (R7)",
    sameAtEveryVersion,
    async () => {
      const name = unique("taken");
      await t.es("PUT", `/_security/role/${name}`, { cluster: ["monitor"] });
      let adoptExisting = false;
      await withStack({
        env: t.providerEnv(),
        program: async () => ({ name: new ApmRole("r", { name, adoptExisting }).name }),
      }).run(async (s) => {
        await assert.rejects(s.up(), (e: Error) => {
          assert.match(e.message, new RegExp(`ApmRole "r": a role named "${name}" already exists`));
          assert.match(e.message, /adoptExisting: true/);
          return true;
        });
        assert.deepEqual((await role(name))?.cluster, ["monitor"], "nothing was overwritten");
        adoptExisting = true;
        await s.up();
        assert.deepEqual((await role(name))?.cluster, ["manage_own_api_key"]);
        await t.es("DELETE", `/_security/role/${name}`);
        assert.equal((await s.destroy()).summary.result, "succeeded");
      });
    },
  );

  describe(
    "a cluster privilege this provider does not know: a preview warning with the closest names, Elasticsearch decides at up (R8)",
    sameAtEveryVersion,
    () => {
      // A typo: neither a name Elasticsearch 8.14 to 9.x knows nor an action pattern. A name a newer Elasticsearch adds
      // takes the same path and is accepted there.
      const typo = "manage_api_kye";
      const warned = new RegExp(
        `ApmRole "r": cluster privilege "${typo}" is not one Elasticsearch 8.14 to 9.x knows \\(did you mean "manage_api_key"\\?\\)`,
      );
      const refused = new RegExp(
        `unknown cluster privilege \\[${typo}\\]\\. a privilege must be either one of the predefined`,
      );

      test("dynamic provider (TypeScript program)", async () => {
        const name = unique("typo");
        await withStack({
          env: t.providerEnv(),
          program: async () => ({ name: new ApmRole("r", { name, cluster: ["monitor", typo] }).name }),
        }).run(async (s) => {
          await s.preview();
          assert.match(s.log(), warned);
          await assert.rejects(s.up(), (e: Error) => (assert.match(e.message, refused), true));
          assert.equal(await role(name), undefined, "Elasticsearch's refusal wrote nothing");
        });
      });

      test("native plugin (YAML program)", async () => {
        const name = unique("typo");
        await withCliProject({
          programYaml: `name: pek-yaml-typo\nruntime: yaml\nplugins:\n  providers:\n    - name: elastic\n      path: ${PLUGIN_DIR}\nresources:\n  r:\n    type: elastic:index:ApmRole\n    properties:\n      name: ${name}\n      cluster: [monitor, ${typo}]\n`,
          env: t.providerEnv(),
        }).run(async (p) => {
          await p.pulumi(["stack", "init", "dev"]);
          const preview = await p.pulumi(["preview"]);
          assert.match(preview.stdout + preview.stderr, warned);
          const up = await p.pulumi(["up", "--yes"], { expectFailure: true });
          assert.match(up.stdout + up.stderr, refused);
          assert.equal(await role(name), undefined, "Elasticsearch's refusal wrote nothing");
        });
      });
    },
  );

  test("a role description: Elasticsearch before 8.15 refuses the field, in its own words, and nothing is written", async () => {
    const name = unique("described");
    await withStack({
      env: t.providerEnv(),
      program: async () => ({ name: new ApmRole("r", { name, description: "APM agent key creators" }).name }),
    }).run(async (s) => {
      if (t.atLeast(8, 15)) {
        await s.up();
        assert.equal((await role(name))?.description, "APM agent key creators");
      } else {
        await assert.rejects(s.up(), /failed to parse role \[[^\]]+\]\. unexpected field \[description\]/);
        assert.equal(await role(name), undefined, "nothing written");
      }
    });
  });

  test("least privilege: a user without manage_security is refused with Elasticsearch's own 403 (its 9.x wording names the declared roles), and nothing is written", async () => {
    const name = unique("refused");
    const roleName = unique("monitor-only");
    assert.equal((await t.es("PUT", `/_security/role/${roleName}`, { cluster: ["monitor"] })).status, 200);
    const user = await createUser(t, unique("monitor"), "monitor-user-password", [roleName]);
    await withStack({
      env: t.providerEnv(user),
      program: async () => ({ name: new ApmRole("r", { name }).name }),
    }).run(async (s) => {
      const wording = t.atLeast(9, 0)
        ? `with declared roles \\[${roleName}\\] \\(all resolved\\)`
        : `with effective roles \\[${roleName}\\]`;
      await assert.rejects(s.up(), (e: Error) => {
        assert.match(e.message, new RegExp(`is unauthorized for user \\[${user.username}\\] ${wording}`));
        assert.match(e.message, /403/);
        assert.ok(!e.message.includes(user.password));
        return true;
      });
      assert.equal(await role(name), undefined, "nothing written");
    });
  });
});
