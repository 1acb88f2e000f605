// The native plugin on Pulumi YAML programs, driven by the real CLI exactly as a user types it: stack init, config
// set [--secret], up, preview --expect-no-changes, refresh, import, destroy. After every step the server is asked what
// it holds; secrets are checked in `pulumi stack export` and in everything the CLI printed.
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type Emulator } from "../../emulator";
import type { CliProject } from "../../scripts/lib/cli-project";
import { PLUGIN_DIR, REPO_ROOT } from "../../scripts/lib/pulumi-cli";
import { packagePlugin } from "../../scripts/package-plugin";
import {
  activeEnrollmentKeys,
  assertNothingWritten,
  authenticatesAs,
  createAgentPolicy,
  createUser,
  keyById,
  leaked,
  liveKeysNamed,
} from "../support/elastic-checks";
import { createRouteFaults } from "../support/faults";
import { acceptanceMode, emulatorVersion, useTarget, unique, type ElasticTarget } from "../support/target";
import { readmeCommands } from "../support/readme-commands";
import { faultsCleared, withCliProject } from "../support/engine";

/** The key id inside an encoded API key (base64 of `id:secret`). */
const decodedId = (encoded: string): string => Buffer.from(encoded, "base64").toString().split(":")[0];

const t = useTarget({ before, after });
const emulatorOnly = { skip: acceptanceMode() ? "emulator only" : false };

/** A Pulumi.yaml using the plugin from this checkout; `body` holds the config/resources/outputs sections. */
const programYaml = (name: string, body: string): string =>
  `name: ${name}\nruntime: yaml\nplugins:\n  providers:\n    - name: elastic\n      path: ${PLUGIN_DIR}\n${body}`;

/** `elastic:*` stack config for a cluster and user, typed as a user would; the password with --secret. */
async function configureCluster(
  p: CliProject,
  target: Pick<ElasticTarget, "esUrl" | "kibanaUrl">,
  user: { username: string; password: string },
): Promise<void> {
  await p.pulumi(["config", "set", "elastic:elasticsearchEndpoints", target.esUrl]);
  await p.pulumi(["config", "set", "elastic:kibanaEndpoint", target.kibanaUrl]);
  await p.pulumi(["config", "set", "elastic:elasticsearchUsername", user.username]);
  await p.pulumi(["config", "set", "elastic:kibanaUsername", user.username]);
  await p.pulumi(["config", "set", "--secret", "elastic:elasticsearchPassword", user.password]);
  await p.pulumi(["config", "set", "--secret", "elastic:kibanaPassword", user.password]);
}

/** A superuser of its own with a password no other text contains, so leak checks mean something. */
const freshUser = (): Promise<{ username: string; password: string }> =>
  createUser(t, unique("ops").replace(/-/g, "_"), `pw-${unique("secret")}`, ["superuser"]);

interface ExportedResource {
  type: string;
  id?: string;
  outputs?: Record<string, unknown>;
}
async function exported(p: CliProject): Promise<{ text: string; resources: ExportedResource[] }> {
  const { stdout } = await p.pulumi(["stack", "export"]);
  return {
    text: stdout,
    resources: (JSON.parse(stdout) as { deployment: { resources?: ExportedResource[] } }).deployment.resources ?? [],
  };
}
const ofType = (resources: ExportedResource[], type: string) =>
  resources.filter((r) => r.type === `elastic:index:${type}`);
const isCiphertext = (v: unknown): boolean => !!v && typeof v === "object" && "ciphertext" in v;

async function outputs(p: CliProject): Promise<Record<string, string>> {
  const { stdout } = await p.pulumi(["stack", "output", "--json", "--show-secrets"]);
  return JSON.parse(stdout) as Record<string, string>;
}

const roleStatus = async (target: Pick<ElasticTarget, "es">, name: string): Promise<number> =>
  (await target.es("GET", `/_security/role/${name}`)).status;

describe("YAML programs on the native plugin (real pulumi CLI)", () => {
  test("all four resources: init, config, preview, up, no-change preview, out-of-band changes, refresh, destroy — secrets encrypted", async (ctx) => {
    const s = unique("y");
    const user = await freshUser();
    const policyId = await createAgentPolicy(t, unique("ypol"));
    const secrets: string[] = [user.password];
    await withCliProject({
      programYaml: programYaml(
        "pek-yaml",
        `config:
  policyId:
    type: string
resources:
  role:
    type: elastic:index:ApmRole
    properties:
      name: role-${s}
      spaces: [default]
  agentKey:
    type: elastic:index:ApmAgentKey
    properties:
      name: agent-${s}
      privileges: [event:write, config_agent:read]
  enrollKey:
    type: elastic:index:EnrollmentApiKey
    properties:
      policyId: \${policyId}
      name: enroll-${s}
  ccKey:
    type: elastic:index:CrossClusterApiKey
    properties:
      name: cc-${s}
      access:
        search:
          - names: ["logs-*"]
outputs:
  roleName: \${role.name}
  agentKeyId: \${agentKey.keyId}
  agentEncoded: \${agentKey.encoded}
  enrollKeyId: \${enrollKey.keyId}
  enrollApiKeyId: \${enrollKey.apiKeyId}
  enrollToken: \${enrollKey.apiKey}
  ccKeyId: \${ccKey.keyId}
  ccEncoded: \${ccKey.encoded}
`,
      ),
    }).run(async (p) => {
      await p.pulumi(["stack", "init", "dev"]);
      await configureCluster(p, t, user);
      await p.pulumi(["config", "set", "policyId", policyId]);

      // A preview writes nothing (the engine asks the plugin for creates at preview too).
      t.emulator?.admin.clearRequests();
      const preview = await p.pulumi(["preview"]);
      assert.match(preview.stdout, /\+ 5 to create/);
      await assertNothingWritten(ctx, t, "a preview writes nothing");
      assert.deepEqual(await liveKeysNamed(t, `agent-${s}`), [], "no key made by the preview");
      assert.equal(await roleStatus(t, `role-${s}`), 404, "no role made by the preview");

      await p.pulumi(["up", "--yes"]);
      let out = await outputs(p);
      secrets.push(out.agentEncoded, out.enrollToken, out.ccEncoded);
      secrets.push(...[out.agentEncoded, out.ccEncoded].map((e) => Buffer.from(e, "base64").toString().split(":")[1]));
      assert.equal(await roleStatus(t, `role-${s}`), 200);
      assert.deepEqual(
        (await liveKeysNamed(t, `agent-${s}`)).map((k) => k.id),
        [out.agentKeyId],
      );
      assert.equal(await authenticatesAs(t, out.agentEncoded), out.agentKeyId, "the agent key authenticates");
      assert.equal(await authenticatesAs(t, out.enrollToken), out.enrollApiKeyId, "the enrollment token authenticates");
      assert.deepEqual(
        (await activeEnrollmentKeys(t, policyId)).filter((k) => k.name.startsWith(`enroll-${s}`)).map((k) => k.id),
        [out.enrollKeyId],
      );
      assert.deepEqual(
        (await liveKeysNamed(t, `cc-${s}`)).map((k) => k.id),
        [out.ccKeyId],
      );
      assert.equal(Buffer.from(out.ccEncoded, "base64").toString().split(":")[0], out.ccKeyId);

      // Secret outputs are encrypted in state, stack outputs print [secret], the provider's password too.
      const plain = await p.pulumi(["stack", "output", "--json"]);
      for (const k of ["agentEncoded", "enrollToken", "ccEncoded"])
        assert.equal((JSON.parse(plain.stdout) as Record<string, string>)[k], "[secret]", k);
      let state = await exported(p);
      const secretOutputs: Record<string, string[]> = {
        ApmAgentKey: ["apiKey", "encoded"],
        EnrollmentApiKey: ["apiKey"],
        CrossClusterApiKey: ["apiKey", "encoded"],
      };
      for (const [type, keys] of Object.entries(secretOutputs))
        for (const k of keys) assert.ok(isCiphertext(ofType(state.resources, type)[0]?.outputs?.[k]), `${type}.${k}`);
      const provider = state.resources.find((r) => r.type === "pulumi:providers:elastic");
      assert.ok(isCiphertext(provider?.outputs?.elasticsearchPassword), "the provider's password is encrypted");
      assert.deepEqual(leaked(state.text, secrets), []);

      t.emulator?.admin.clearRequests();
      await p.pulumi(["preview", "--expect-no-changes"]);
      await assertNothingWritten(ctx, t, "a no-change preview writes nothing");

      // Out of band: the agent key invalidated, the role's privileges cut down. Refresh tells the truth, up repairs.
      assert.equal((await t.es("DELETE", "/_security/api_key", { ids: [out.agentKeyId] })).status, 200);
      const role = (await t.es("GET", `/_security/role/role-${s}`)).body as Record<string, Record<string, unknown>>;
      const applications = (role[`role-${s}`].applications as { privileges: string[] }[]).map((a) => ({
        ...a,
        privileges: a.privileges.slice(0, 1),
      }));
      await t.es("PUT", `/_security/role/role-${s}`, {
        ...role[`role-${s}`],
        applications,
        transient_metadata: undefined,
      });
      await p.pulumi(["refresh", "--yes"]);
      state = await exported(p);
      assert.deepEqual(ofType(state.resources, "ApmAgentKey"), [], "the invalidated key left state");
      await p.pulumi(["preview", "--expect-no-changes"], { expectFailure: true });
      await p.pulumi(["up", "--yes"]);
      const before = out;
      out = await outputs(p);
      secrets.push(out.agentEncoded, Buffer.from(out.agentEncoded, "base64").toString().split(":")[1]);
      assert.notEqual(out.agentKeyId, before.agentKeyId);
      assert.deepEqual(
        (await liveKeysNamed(t, `agent-${s}`)).map((k) => k.id),
        [out.agentKeyId],
      );
      const repaired = (await t.es("GET", `/_security/role/role-${s}`)).body as Record<
        string,
        { applications: unknown }
      >;
      assert.deepEqual(repaired[`role-${s}`].applications, role[`role-${s}`].applications, "the role is restored");
      assert.equal(out.ccKeyId, before.ccKeyId, "the cross-cluster key is kept");
      await p.pulumi(["preview", "--expect-no-changes"]);

      await p.pulumi(["destroy", "--yes"]);
      assert.equal(await roleStatus(t, `role-${s}`), 404);
      assert.deepEqual(await liveKeysNamed(t, `agent-${s}`), []);
      assert.deepEqual(await liveKeysNamed(t, `cc-${s}`), []);
      assert.deepEqual(
        (await activeEnrollmentKeys(t, policyId)).filter((k) => k.name.startsWith(`enroll-${s}`)),
        [],
      );
      assert.deepEqual(leaked(p.transcript(), secrets), [], "nothing the CLI printed holds a secret");
    });
  });

  test("examples/yaml runs as written: up, no-change preview, destroy", async () => {
    // The example points at ../../plugin/bin; a copy beside a link to this checkout's plugin/ keeps that true
    // without writing stack files into the repository.
    const root = mkdtempSync(path.join(os.tmpdir(), "pek-example-"));
    const dir = path.join(root, "examples", "yaml");
    cpSync(path.join(REPO_ROOT, "examples", "yaml"), dir, { recursive: true });
    symlinkSync(path.join(REPO_ROOT, "plugin"), path.join(root, "plugin"));
    const user = await freshUser();
    const policyId = await createAgentPolicy(t, unique("expol"));
    const yaml = readFileSync(path.join(dir, "Pulumi.yaml"), "utf8");
    const removeCopy = { afterCleanup: () => rmSync(root, { recursive: true, force: true }) };
    await withCliProject({ programYaml: yaml, projectDir: dir }, removeCopy).run(async (p) => {
      await p.pulumi(["stack", "init", "dev"]);
      await configureCluster(p, t, user);
      await p.pulumi(["config", "set", "policyId", policyId]);
      await p.pulumi(["up", "--yes"]);
      const out = await outputs(p);
      assert.equal(out.roleName, "apm-key-creator");
      assert.equal(await authenticatesAs(t, out.agentKeyEncoded), out.agentKeyId);
      assert.ok((await activeEnrollmentKeys(t, policyId)).some((k) => k.id === out.enrollmentKeyId));
      assert.equal((await keyById(t, out.crossClusterKeyId))?.invalidated, false);
      await p.pulumi(["preview", "--expect-no-changes"]);
      await p.pulumi(["destroy", "--yes"]);
      assert.equal((await keyById(t, out.agentKeyId))?.invalidated, true);
      assert.equal((await keyById(t, out.crossClusterKeyId))?.invalidated, true);
      assert.equal(await roleStatus(t, "apm-key-creator"), 404);
      assert.deepEqual(
        leaked(p.transcript(), [out.agentKeyEncoded, out.enrollmentToken, out.crossClusterEncoded, user.password]),
        [],
      );
    });
  });

  test("the plugin tarball: pulumi plugin install --file, then a program without a plugin path", async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), "pek-tarball-"));
    const { tarball } = packagePlugin(out);
    const listing = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).split("\n");
    assert.ok(listing.includes("./pulumi-resource-elastic"), "the launcher at the root");
    assert.ok(listing.includes("./node_modules/@grpc/grpc-js/package.json"), "its runtime packages inside");
    assert.deepEqual(
      listing.filter((f) => /\.(map|ts)$|PulumiPlugin\.yaml$|\/(typescript|vitest)\//.test(f)),
      [],
    );
    const version = (JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string })
      .version;
    const s = unique("tgz");
    const user = await freshUser();
    // No `plugins:` section: the engine finds the installed plugin in PULUMI_HOME (outside any node_modules tree).
    const yaml = `name: pek-yaml-installed\nruntime: yaml\nresources:\n  role:\n    type: elastic:index:ApmRole\n    properties:\n      name: role-${s}\n`;
    const removeTarball = { afterCleanup: () => rmSync(out, { recursive: true, force: true }) };
    await withCliProject({ programYaml: yaml }, removeTarball).run(async (p) => {
      await p.pulumi(["plugin", "install", "resource", "elastic", version, "--file", tarball]);
      const listed = await p.pulumi(["plugin", "ls"]);
      assert.match(listed.stdout, new RegExp(`elastic\\s+resource\\s+${version.replace(/\./g, "\\.")}`));
      await p.pulumi(["stack", "init", "dev"]);
      await configureCluster(p, t, user);
      await p.pulumi(["up", "--yes"]);
      assert.equal(await roleStatus(t, `role-${s}`), 200);
      await p.pulumi(["destroy", "--yes"]);
      assert.equal(await roleStatus(t, `role-${s}`), 404);
    });
  });

  test("two clusters in one program through an explicit provider instance: examples/yaml-clusters run by its README's commands, as the README shows it", async () => {
    const file = readFileSync(path.join(REPO_ROOT, "examples", "yaml-clusters", "Pulumi.yaml"), "utf8");
    assert.ok(
      readFileSync(path.join(REPO_ROOT, "README.md"), "utf8").includes(`\`\`\`yaml\n${file}\`\`\``),
      "README's 'Several clusters' program is examples/yaml-clusters/Pulumi.yaml",
    );
    const other: Emulator = await startEmulator({ esVersion: emulatorVersion() });
    const user = await freshUser();
    // The analytics cluster's user the program names.
    const analyticsPassword = `pw-${unique("analytics")}`;
    const made = await fetch(`${other.esUrl}/_security/user/platform-admin`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${other.superuser.username}:${other.superuser.password}`).toString("base64")}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ password: analyticsPassword, roles: ["superuser"] }),
    });
    assert.equal(made.status, 200);
    // A copy beside a link to this checkout's plugin/ keeps the example's ../../plugin/bin true.
    const root = mkdtempSync(path.join(os.tmpdir(), "pek-example-"));
    const dir = path.join(root, "examples", "yaml-clusters");
    cpSync(path.join(REPO_ROOT, "examples", "yaml-clusters"), dir, { recursive: true });
    symlinkSync(path.join(REPO_ROOT, "plugin"), path.join(root, "plugin"));
    const stopOtherAndRemoveCopy = {
      afterCleanup: () => other.stop().then(() => rmSync(root, { recursive: true, force: true })),
    };
    await withCliProject({ programYaml: file, projectDir: dir }, stopOtherAndRemoveCopy).run(async (p) => {
      for (const [tool, ...args] of readmeCommands("yaml-clusters", {
        "https://es.example.com:9200": t.esUrl,
        ops: user.username,
        "<password>": user.password,
        "https://analytics.example.com:9200": other.esUrl,
        "<password of platform-admin on the analytics cluster>": analyticsPassword,
      })) {
        assert.equal(tool, "pulumi");
        await p.pulumi(args);
      }
      const out = await outputs(p);
      assert.equal(await authenticatesAs(t, out.checkoutKey), decodedId(out.checkoutKey), "the agent key is on main");
      assert.equal(
        (await esCall(other, "GET", `/_security/api_key?id=${out.replicationKeyId}`)).body.api_keys.length,
        1,
        "the cross-cluster key is on the analytics cluster",
      );
      assert.equal(await keyById(t, out.replicationKeyId), undefined, "and not on the main one");
      const state = await exported(p);
      const providers = state.resources.filter(
        (r) => r.type === "pulumi:providers:elastic" && r.outputs?.elasticsearchPassword,
      );
      assert.ok(providers.length >= 1 && providers.every((prov) => isCiphertext(prov.outputs?.elasticsearchPassword)));
      assert.deepEqual(
        leaked(state.text + p.transcript(), [user.password, analyticsPassword, out.checkoutKey, out.replicationKey]),
        [],
      );
      await p.pulumi(["preview", "--expect-no-changes"]);
      await p.pulumi(["refresh", "--yes"]);
      await p.pulumi(["destroy", "--yes"]);
      assert.equal((await keyById(t, decodedId(out.checkoutKey)))?.invalidated, true);
      const left = (await esCall(other, "GET", `/_security/api_key?id=${out.replicationKeyId}`)).body.api_keys as {
        invalidated: boolean;
      }[];
      assert.equal(left[0]?.invalidated, true, "destroy invalidated the key on the analytics cluster");
    });
  });

  test("pulumi import and the import option take over a role and an enrollment key; agent and cross-cluster keys are refused", async () => {
    const s = unique("imp");
    const user = await freshUser();
    const policyId = await createAgentPolicy(t, unique("ipol"));
    const roleName = `role-${s}`;
    const apm = { application: "apm", privileges: ["event:write", "config_agent:read"], resources: ["*"] };
    const kibana = { application: "kibana-.kibana", privileges: ["feature_apm.all"], resources: ["space:default"] };
    await t.es("PUT", `/_security/role/${roleName}`, { cluster: ["manage_own_api_key"], applications: [apm, kibana] });
    // A role without the APM feature in any space is no ApmRole a program could declare.
    await t.es("PUT", `/_security/role/${roleName}-bare`, { cluster: ["manage_own_api_key"], applications: [apm] });
    const made = await t.kibana("POST", "/api/fleet/enrollment_api_keys", { policy_id: policyId, name: `enroll-${s}` });
    const enrollment = (made.body as { item: { id: string; api_key: string } }).item;
    const header = programYaml("pek-yaml-import", "");
    await withCliProject({ programYaml: `${header}resources: {}\n` }).run(async (p) => {
      await p.pulumi(["stack", "init", "dev"]);
      await configureCluster(p, t, user);

      // `pulumi import` of the role: the generated program, pasted in, has no changes to make.
      const generated = path.join(p.dir, "generated.yaml");
      await p.pulumi([
        "import",
        "elastic:index:ApmRole",
        "imported",
        roleName,
        "--yes",
        "--protect=false",
        "--out",
        generated,
      ]);
      const code = readFileSync(generated, "utf8");
      assert.match(code, /type: elastic:(index:)?ApmRole/);
      assert.match(code, new RegExp(`name: ${roleName}`));
      // The import option on an enrollment key: Fleet hands its token back, so it becomes a whole resource.
      p.writeProgram(
        `${header}${code.trimEnd()}\n  enroll:\n    type: elastic:index:EnrollmentApiKey\n    properties:\n      policyId: ${policyId}\n      name: enroll-${s}\n    options:\n      import: ${enrollment.id}\noutputs:\n  token: \${enroll.apiKey}\n`,
      );
      await p.pulumi(["up", "--yes"]);
      assert.equal((await outputs(p)).token, enrollment.api_key, "the imported key's token");
      await p.pulumi(["preview", "--expect-no-changes"]);
      const state = await exported(p);
      assert.ok(isCiphertext(ofType(state.resources, "EnrollmentApiKey")[0]?.outputs?.apiKey));
      assert.deepEqual(leaked(state.text, [enrollment.api_key, user.password]), []);

      // Keys whose secret cannot be read back are refused, with what to do instead; nothing is touched.
      const agent = await t.es("POST", "/_security/api_key", { name: `agent-${s}` });
      const agentId = (agent.body as { id: string }).id;
      for (const type of ["ApmAgentKey", "CrossClusterApiKey"]) {
        const refused = await p.pulumi(["import", `elastic:index:${type}`, "taken", agentId, "--yes"], {
          expectFailure: true,
        });
        assert.match(
          refused.stdout + refused.stderr,
          new RegExp(`${type} cannot be imported[\\s\\S]*create a new key`),
        );
      }
      assert.equal((await keyById(t, agentId))?.invalidated, false, "the refused key is untouched");
      const unfit = await p.pulumi(["import", "elastic:index:ApmRole", "bare", `${roleName}-bare`, "--yes"], {
        expectFailure: true,
      });
      assert.match(
        unfit.stdout + unfit.stderr,
        new RegExp(
          `${roleName}-bare cannot be imported as an ApmRole: read back, its field \`spaces\` holds[\\s\\S]*adoptExisting: true`,
        ),
      );
      assert.equal(await roleStatus(t, `${roleName}-bare`), 200, "the refused role is untouched");
      assert.equal(ofType((await exported(p)).resources, "ApmAgentKey").length, 0);

      await p.pulumi(["destroy", "--yes"]);
      assert.equal(await roleStatus(t, roleName), 404, "an imported role is managed: destroy deletes it");
      assert.deepEqual(
        (await activeEnrollmentKeys(t, policyId)).filter((k) => k.id === enrollment.id),
        [],
      );
      assert.deepEqual(leaked(p.transcript(), [enrollment.api_key, user.password]), []);
    });
  });

  test("changed credentials take effect on the next refresh and destroy", async () => {
    const s = unique("cred");
    const user = await freshUser();
    await withCliProject({
      programYaml: programYaml(
        "pek-yaml-cred",
        `resources:\n  role:\n    type: elastic:index:ApmRole\n    properties:\n      name: role-${s}\n`,
      ),
    }).run(async (p) => {
      await p.pulumi(["stack", "init", "dev"]);
      await configureCluster(p, t, user);
      await p.pulumi(["up", "--yes"]);
      const rotated = `pw-${unique("rotated")}`;
      await createUser(t, user.username, rotated, ["superuser"]); // the password changes on the server
      const refused = await p.pulumi(["refresh", "--yes"], { expectFailure: true });
      assert.match(refused.stdout + refused.stderr, /401/);
      await p.pulumi(["config", "set", "--secret", "elastic:elasticsearchPassword", rotated]);
      await p.pulumi(["refresh", "--yes"]);
      await p.pulumi(["destroy", "--yes"]);
      assert.equal(await roleStatus(t, `role-${s}`), 404);
      assert.deepEqual(leaked(p.transcript(), [user.password, rotated]), []);
    });
  });

  test("bad input is refused at preview, naming the resource, the field and the fix; nothing is written", async (ctx) => {
    await withCliProject({
      programYaml: programYaml(
        "pek-yaml-bad",
        `resources:\n  agent:\n    type: elastic:index:ApmAgentKey\n    properties:\n      name: agent\n      privileges: [event:read]\n`,
      ),
    }).run(async (p) => {
      await p.pulumi(["stack", "init", "dev"]);
      await configureCluster(p, t, await freshUser());
      t.emulator?.admin.clearRequests();
      const r = await p.pulumi(["preview"], { expectFailure: true });
      // The engine words it: `<type> resource '<name>' has a problem: <field>: <reason and fix>`.
      assert.match(
        r.stdout + r.stderr,
        /ApmAgentKey resource 'agent' has a problem: privileges\.0: must each be one of config_agent:read, event:write/,
      );
      await assertNothingWritten(ctx, t);
    });
  });

  test(
    "faults on the create routes: retried, reconciled, one live key per resource of every kind; an outage keeps the create in state until destroy removes it",
    emulatorOnly,
    async () => {
      const s = unique("yf");
      const user = await freshUser();
      const policyId = await createAgentPolicy(t, unique("yfpol"));
      const names = [0, 1, 2].map((i) => `cc-${s}-${i}`);
      const agentName = `agent-${s}`;
      const roleName = `role-${s}`;
      const resources =
        names
          .map(
            (n, i) =>
              `  k${i}:\n    type: elastic:index:CrossClusterApiKey\n    properties:\n      name: ${n}\n      access:\n        search:\n          - names: [x]\n`,
          )
          .join("") +
        `  agent:\n    type: elastic:index:ApmAgentKey\n    properties:\n      name: ${agentName}\n      privileges: [event:write]\n` +
        // Generated names (no \`name\`): a lost answer is settled by adopting the key the name proves (EnrollmentApiKey
        // SPEC R7), which ends that create: three keys, so that every fault of the schedule meets a create.
        [0, 1, 2]
          .map(
            (i) => `  e${i}:\n    type: elastic:index:EnrollmentApiKey\n    properties:\n      policyId: ${policyId}\n`,
          )
          .join("") +
        `  role:\n    type: elastic:index:ApmRole\n    properties:\n      name: ${roleName}\n`;
      const outs =
        names.map((_, i) => `  k${i}: \${k${i}.keyId}\n`).join("") +
        "  agent: ${agent.keyId}\n  e0: ${e0.keyId}\n  e1: ${e1.keyId}\n  e2: ${e2.keyId}\n  role: ${role.name}\n";
      const route = { listener: "es" as const, method: "POST", path: "^/_security/cross_cluster/api_key$" };
      const keyRoutes = {
        "/_security/cross_cluster/api_key": route,
        "/_security/api_key": { listener: "es" as const, method: "POST", path: "^/_security/api_key$" },
        "/api/fleet/enrollment_api_keys": {
          listener: "kibana" as const,
          method: "POST",
          path: "^/api/fleet/enrollment_api_keys$",
        },
      };
      const roleRoute = { listener: "es" as const, method: "PUT", path: `^/_security/role/${roleName}$` };
      /** The fault answers each route gave (every answer but a 200), sorted. */
      const faultAnswers = (method: string, path: string) =>
        t
          .emulator!.admin.requests()
          .filter((r) => r.method === method && r.path === path && r.status !== 200)
          .map((r) => r.status)
          .sort();
      /** The active enrollment keys this program's e0–e2 made (generated names: `e<i>-<8 hex>`), sorted. */
      const enrollKeys = async () =>
        (await activeEnrollmentKeys(t, policyId))
          .filter((k) => /^e[0-2]-[0-9a-f]{8} \(/.test(k.name))
          .map((k) => k.id)
          .sort();
      await withCliProject(
        {
          programYaml: programYaml("pek-yaml-faults", `resources:\n${resources}outputs:\n${outs}`),
          env: { ELASTIC_KEYS_HTTP_BASE_DELAY_MS: "20" },
        },
        faultsCleared(t),
      ).run(async (p) => {
        await p.pulumi(["stack", "init", "dev"]);
        await configureCluster(p, t, user);
        t.emulator!.admin.clearRequests();
        // The role's create is settled by its mark like a key's (ApmRole SPEC R10): two 429s, then a PUT answered 503
        // after it was written, whose mark proves the role is this create's — the rest of the schedule meets no create.
        t.emulator!.admin.setFaults([
          ...Object.values(keyRoutes).flatMap(createRouteFaults),
          ...createRouteFaults(roleRoute),
        ]);
        await p.pulumi(["up", "--yes"]);
        for (const path of Object.keys(keyRoutes))
          assert.deepEqual(faultAnswers("POST", path), [0, 429, 429, 503, 503], `every fault fired on ${path}`);
        assert.deepEqual(
          faultAnswers("PUT", `/_security/role/${roleName}`),
          [429, 429, 503],
          "every fault fired on the role",
        );
        const out = await outputs(p);
        for (const [i, n] of names.entries())
          assert.deepEqual(
            (await liveKeysNamed(t, n)).map((k) => k.id),
            [out[`k${i}`]],
            `exactly one live key ${n}`,
          );
        assert.deepEqual(
          (await liveKeysNamed(t, agentName)).map((k) => k.id),
          [out.agent],
          "exactly one live agent key",
        );
        assert.deepEqual(await enrollKeys(), [out.e0, out.e1, out.e2].sort(), "exactly one active enrollment key each");
        assert.equal(out.role, roleName);
        assert.equal(await roleStatus(t, roleName), 200, "the role exists");
        await p.pulumi(["preview", "--expect-no-changes"]);

        // A create committed, then Elasticsearch unreachable past the retry budget: the up fails, the create stays in
        // state (partial state through the plugin), refresh keeps it while its key is live, destroy removes the key.
        const extra = `cc-${s}-late`;
        p.writeProgram(
          programYaml(
            "pek-yaml-faults",
            `resources:\n${resources}  late:\n    type: elastic:index:CrossClusterApiKey\n    properties:\n      name: ${extra}\n      access:\n        search:\n          - names: [x]\noutputs:\n${outs}`,
          ),
        );
        p.setEnv({ ELASTIC_KEYS_HTTP_BUDGET_MS: "1500" });
        t.emulator!.admin.setFaults([
          { ...route, kind: "commit-then-fail", status: 0, count: 1 },
          { listener: "es", method: "GET", path: "^/_security/api_key$", kind: "reset", count: 10_000 },
        ]);
        const failed = await p.pulumi(["up", "--yes"], { expectFailure: true });
        assert.match(failed.stdout + failed.stderr, /stays in state as a resource that failed to create/);
        t.emulator!.admin.clearFaults();
        assert.equal((await liveKeysNamed(t, extra)).length, 1, "the server made the key");
        const late = () =>
          exported(p).then((e) =>
            ofType(e.resources, "CrossClusterApiKey").filter((r) => r.id?.startsWith("unresolved-create:")),
          );
        assert.equal((await late()).length, 1, "the create is in state");
        await p.pulumi(["refresh", "--yes"]);
        assert.equal((await late()).length, 1, "refresh keeps it while its key is live");
        await p.pulumi(["destroy", "--yes"]);
        for (const n of [...names, extra, agentName]) assert.deepEqual(await liveKeysNamed(t, n), [], n);
        assert.deepEqual(await enrollKeys(), [], "no active enrollment key");
        assert.equal(await roleStatus(t, roleName), 404, "no role");
      });
    },
  );
});

/** A superuser call on another emulator (the second cluster). */
async function esCall(
  e: Emulator,
  method: string,
  path: string,
): Promise<{ status: number; body: { api_keys: unknown[] } }> {
  const res = await fetch(e.esUrl + path, {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(`${e.superuser.username}:${e.superuser.password}`).toString("base64")}`,
    },
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
