// Where each front end takes its settings from (README, Configuration: the precedence), on the real CLI: a removed
// config key falls back to the env var, a refused credential's advice fits the front end, a credential given in
// plain text is still a secret in the plugin's state (and the dynamic resources, which cannot make it one, warn),
// and the `…Insecure` switches accept only what the README lists.
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { ApmAgentKey, ApmRole } from "../../sdk";
import type { CliProject } from "../../scripts/lib/cli-project";
import { PLUGIN_DIR } from "../../scripts/lib/pulumi-cli";
import { createUser, leaked } from "../support/elastic-checks";
import { unique, useTarget } from "../support/target";
import { withCliProject, withStack } from "../support/engine";

const t = useTarget({ before, after });

const programYaml = (name: string, body: string): string =>
  `name: ${name}\nruntime: yaml\nplugins:\n  providers:\n    - name: elastic\n      path: ${PLUGIN_DIR}\n${body}`;
const roleYaml = (s: string) =>
  `resources:\n  role:\n    type: elastic:index:ApmRole\n    properties:\n      name: role-${s}\n`;

const userFor = (s: string) => createUser(t, `u_${s.replace(/-/g, "_")}`, `pw-${unique("first")}`, ["superuser"]);
const rotate = (username: string, password: string) => createUser(t, username, password, ["superuser"]);

async function defaultProviderOn(p: CliProject, user: { username: string }): Promise<void> {
  await p.pulumi(["stack", "init", "dev"]);
  await p.pulumi(["config", "set", "elastic:elasticsearchEndpoints", t.esUrl]);
  await p.pulumi(["config", "set", "elastic:elasticsearchUsername", user.username]);
}

interface Exported {
  resources: { type: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }[];
}
const isCiphertext = (v: unknown): boolean => !!v && typeof v === "object" && "ciphertext" in v;

describe("one precedence, applied at every operation (README, Configuration)", () => {
  test("the plugin's default provider: a refused password's advice fits the plugin; after `config rm` the env var is used by refresh and destroy", async () => {
    const s = unique("rm");
    const user = await userFor(s);
    await withCliProject({ programYaml: programYaml("pek-config-rm", roleYaml(s)) }).run(async (p) => {
      await defaultProviderOn(p, user);
      await p.pulumi(["config", "set", "--secret", "elastic:elasticsearchPassword", user.password]);
      await p.pulumi(["up", "--yes"]);
      const rotated = `pw-${unique("rotated")}`;
      await rotate(user.username, rotated);
      const refused = await p.pulumi(["refresh", "--yes"], { expectFailure: true });
      const said = refused.stdout + refused.stderr;
      assert.match(
        said,
        /HTTP 401[\s\S]*takes its credentials from the current elastic:\* stack config, then the env vars/,
      );
      assert.doesNotMatch(said, /--run-program/, "that advice is the dynamic resources'");

      await p.pulumi(["config", "rm", "elastic:elasticsearchPassword"]);
      p.setEnv({ ELASTICSEARCH_PASSWORD: rotated });
      await p.pulumi(["refresh", "--yes"]);
      await p.pulumi(["destroy", "--yes"]);
      assert.equal((await t.es("GET", `/_security/role/role-${s}`)).status, 404);
      assert.deepEqual(leaked(p.transcript(), [user.password, rotated]), []);
    });
  });

  test("the dynamic resources after `config rm`: refresh replays the recorded config and says so; with --run-program the env var is used", async () => {
    const s = unique("drm");
    const user = await userFor(s);
    await withStack({
      env: { ELASTIC_KEYS_HTTP_BASE_DELAY_MS: "20" },
      config: {
        "elastic:elasticsearchEndpoints": { value: t.esUrl },
        "elastic:elasticsearchUsername": { value: user.username },
        "elastic:elasticsearchPassword": { value: user.password, secret: true },
      },
      program: async () => void new ApmRole("role", { name: `role-${s}` }),
    }).run(async (st) => {
      await st.up();
      const rotated = `pw-${unique("rotated")}`;
      await rotate(user.username, rotated);
      await st.stack.removeConfig("elastic:elasticsearchPassword");
      st.setEnv({ ELASTICSEARCH_PASSWORD: rotated });
      await assert.rejects(st.refresh(), /HTTP 401[\s\S]*unless run with --run-program/);
      await st.stack.refresh({ runProgram: true, onOutput: () => {} });
      await st.stack.destroy({ runProgram: true, onOutput: () => {} });
      assert.equal((await t.es("GET", `/_security/role/role-${s}`)).status, 404);
    });
  });
});

describe("credentials given in plain text (item 12)", () => {
  test("the plugin stores them as secrets, for the default provider and an explicit one, and warns where they are written", async () => {
    const s = unique("pt");
    const user = await userFor(s);
    const other = await createUser(t, `o_${s.replace(/-/g, "_")}`, `pw-${unique("literal")}`, ["superuser"]);
    await withCliProject({
      programYaml: programYaml(
        "pek-plaintext",
        `resources:\n  explicit:\n    type: pulumi:providers:elastic\n    properties:\n      elasticsearchEndpoints: ${t.esUrl}\n      elasticsearchUsername: ${other.username}\n      elasticsearchPassword: ${other.password}\n` +
          `  role:\n    type: elastic:index:ApmRole\n    properties:\n      name: role-${s}\n` +
          `  role2:\n    type: elastic:index:ApmRole\n    properties:\n      name: role2-${s}\n    options:\n      provider: \${explicit}\n`,
      ),
    }).run(async (p) => {
      await defaultProviderOn(p, user);
      await p.pulumi(["config", "set", "--plaintext", "elastic:elasticsearchPassword", user.password]);
      const up = await p.pulumi(["up", "--yes"]);
      const said = up.stdout + up.stderr;
      assert.match(said, /elasticsearchPassword is written in plain text in Pulumi\.dev\.yaml[\s\S]*--secret/);
      assert.match(said, /elasticsearchPassword is written in plain text in Pulumi\.yaml[\s\S]*secret: true/);
      const text = (await p.pulumi(["stack", "export"])).stdout;
      const { resources } = (JSON.parse(text) as { deployment: Exported }).deployment;
      const providers = resources.filter((r) => r.type === "pulumi:providers:elastic");
      assert.equal(providers.length, 2);
      for (const prov of providers)
        for (const props of [prov.inputs, prov.outputs])
          assert.ok(isCiphertext(props?.elasticsearchPassword), "the password is a secret in state");
      assert.deepEqual(leaked(text, [user.password, other.password]), [], "no plaintext anywhere in the export");
      await p.pulumi(["destroy", "--yes"]);
    });
  });

  test("the dynamic resources cannot make plain config secret (the engine records it as given): they warn at preview", async () => {
    const s = unique("dpt");
    const user = await userFor(s);
    const program = async () => void new ApmAgentKey("k", { name: `k-${s}`, privileges: ["event:write"] });
    await withStack({
      config: {
        "elastic:elasticsearchEndpoints": { value: t.esUrl },
        "elastic:elasticsearchUsername": { value: user.username },
        "elastic:elasticsearchPassword": { value: user.password },
      },
      program,
    }).run(async (st) => {
      await st.preview();
      assert.match(
        st.log(),
        /elastic:elasticsearchPassword is plain stack config, so it is stored in plaintext in Pulumi.<stack>.yaml and in this stack's state[\s\S]*pulumi config set --secret elastic:elasticsearchPassword/,
      );
      await st.up();
      // What the warning says: the plaintext is in the engine's record of the dynamic provider's configuration.
      const { resources } = JSON.parse(await st.exportText()) as Exported;
      const holding = resources.filter((r) => leaked(JSON.stringify(r), [user.password]).length > 0).map((r) => r.type);
      assert.deepEqual(holding, ["pulumi:providers:pulumi-nodejs"]);
      // Given as a secret, there is nothing to warn about.
      await st.stack.setConfig("elastic:elasticsearchPassword", { value: user.password, secret: true });
      await st.preview();
      assert.doesNotMatch(st.log(), /plain stack config/);
      await st.destroy();
    });
  });
});

describe("the `…Insecure` switches accept true/1 and false/0 (any case) or unset, nothing else", () => {
  test("through the plugin: `yes` in stack config is refused at preview, naming the setting", async () => {
    const s = unique("ins");
    await withCliProject({ programYaml: programYaml("pek-insecure", roleYaml(s)) }).run(async (p) => {
      await defaultProviderOn(p, await userFor(s));
      await p.pulumi(["config", "set", "elastic:elasticsearchInsecure", "yes"]);
      t.emulator?.admin.clearRequests();
      const r = await p.pulumi(["preview"], { expectFailure: true });
      assert.match(
        r.stdout + r.stderr,
        /stack config `elastic:elasticsearchInsecure` is neither true nor false[\s\S]*true or 1/,
      );
      assert.deepEqual(t.emulator?.admin.requests() ?? [], [], "refused before any request");
    });
  });

  test("through the dynamic resources: an env var `yes` is refused at preview; `TRUE`, `1`, `false`, `0` are accepted", async () => {
    const s = unique("dins");
    await withStack({
      env: { ...t.providerEnv(), KIBANA_INSECURE: "yes" },
      program: async () => void new ApmRole("role", { name: `role-${s}` }),
    }).run(async (st) => {
      await assert.rejects(st.preview(), /env KIBANA_INSECURE is neither true nor false/);
      for (const value of ["TRUE", "1", "false", "0"]) {
        st.setEnv({ KIBANA_INSECURE: value, ELASTICSEARCH_INSECURE: value });
        await st.preview();
      }
    });
  });
});

describe("the HTTP policy is a setting like the others (stack config, then ELASTIC_KEYS_HTTP_*)", () => {
  test("through the plugin: `elastic:httpBudgetMs` that is not a whole number is refused at preview, naming it; a number is taken", async () => {
    const s = unique("http");
    await withCliProject({ programYaml: programYaml("pek-http-policy", roleYaml(s)) }).run(async (p) => {
      const user = await userFor(s);
      await defaultProviderOn(p, user);
      await p.pulumi(["config", "set", "--secret", "elastic:elasticsearchPassword", user.password]);
      await p.pulumi(["config", "set", "elastic:httpBudgetMs", "2m"]);
      t.emulator?.admin.clearRequests();
      const r = await p.pulumi(["preview"], { expectFailure: true });
      assert.match(r.stdout + r.stderr, /`elastic:httpBudgetMs` is not a whole number of milliseconds/);
      assert.deepEqual(t.emulator?.admin.requests() ?? [], [], "refused before any request");
      await p.pulumi(["config", "set", "elastic:httpBudgetMs", "5000"]);
      await p.pulumi(["preview"]);
    });
  });
});

describe("what the engine and the YAML host print (README, Secrets)", () => {
  test("-v=9 --logflow debug diagnostics reach --event-log files too; none carries a key or credential through the plugin", async () => {
    const s = unique("ev");
    const user = await userFor(s);
    await withCliProject({
      env: { PULUMI_DEBUG_COMMANDS: "true" }, // shows the CLI's --event-log flag
      programYaml: programYaml(
        "pek-event-log",
        `resources:\n  k:\n    type: elastic:index:ApmAgentKey\n    properties:\n      name: k-${s}\n      privileges: [event:write]\noutputs:\n  encoded: \${k.encoded}\n`,
      ),
    }).run(async (p) => {
      await defaultProviderOn(p, user);
      await p.pulumi(["config", "set", "--secret", "elastic:elasticsearchPassword", user.password]);
      const file = path.join(p.dir, "events.json");
      await p.pulumi(["up", "--yes", "-v=9", "--logflow", "--event-log", file]);
      const text = readFileSync(file, "utf8");
      const debug = text
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { diagnosticEvent?: { severity: string } })
        .filter((e) => e.diagnosticEvent?.severity === "debug");
      assert.ok(debug.length > 0, "debug diagnostics are in the event log");
      const encoded = (
        JSON.parse((await p.pulumi(["stack", "output", "--json", "--show-secrets"])).stdout) as {
          encoded: string;
        }
      ).encoded;
      const secrets = [user.password, encoded, Buffer.from(encoded, "base64").toString().split(":")[1]];
      assert.deepEqual(leaked(text, secrets), []);
    });
  });

  test("a misspelled key in a YAML program is reported with its source line, value included", async () => {
    const literal = `pw-${unique("literal")}`;
    await withCliProject({
      programYaml: programYaml(
        "pek-typo",
        `resources:\n  explicit:\n    type: pulumi:providers:elastic\n    properties:\n      elasticsearchEndpoints: ${t.esUrl}\n      elasticsearchPasword: ${literal}\n`,
      ),
    }).run(async (p) => {
      await p.pulumi(["stack", "init", "dev"]);
      const r = await p.pulumi(["preview"], { expectFailure: true });
      assert.match(
        r.stdout + r.stderr,
        new RegExp(`elasticsearchPasword does not exist[\\s\\S]*line \\d+:[\\s\\S]*${literal}`),
      );
    });
  });
});
