// Inputs, credentials and errors at the edges, on the real CLI: credentials that change (config and env), secrets
// that must not surface in any message, several Elasticsearch endpoints, the `import` option, and what a failure
// looks like to the user.
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { ApmAgentKey, ApmRole, CrossClusterApiKey } from "../../sdk";
import { createUser, leaked, liveKeysNamed } from "../support/elastic-checks";
import { str } from "../support/outputs";
import { withStack } from "../support/engine";
import type { TestStack } from "../../scripts/lib/stack";
import { unique, useTarget } from "../support/target";

const t = useTarget({ before, after });

/** A user whose password the test can rotate, holding the ApmRole privileges through a role of its own. */
async function rotatingUser(): Promise<{ username: string; password: string; rotate(next: string): Promise<void> }> {
  const role = unique("rotating-role");
  const r = await t.es("PUT", `/_security/role/${role}`, {
    cluster: ["manage_own_api_key"],
    applications: [{ application: "apm", privileges: ["event:write"], resources: ["*"] }],
  });
  assert.equal(r.status, 200);
  const user = await createUser(t, unique("rotating"), "first-password-123", [role]);
  return {
    ...user,
    rotate: async (next) => {
      assert.equal(
        (await t.es("PUT", `/_security/user/${user.username}`, { password: next, roles: [role] })).status,
        200,
      );
    },
  };
}

describe("credentials that change (14.2)", () => {
  test("from env vars: a rotated password takes effect for refresh and destroy at once", async () => {
    const user = await rotatingUser();
    const name = unique("env-rotated");
    await withStack({
      env: t.providerEnv(user),
      program: async () => ({ keyId: new ApmAgentKey("k", { name, privileges: ["event:write"] }).keyId }),
    }).run(async (s) => {
      await s.up();
      await user.rotate("second-password-456");
      s.setEnv(t.providerEnv({ username: user.username, password: "second-password-456" }));
      assert.deepEqual((await s.refresh()).summary.resourceChanges, { same: 2 });
      await s.destroy();
      assert.deepEqual(await liveKeysNamed(t, name), []);
    });
  });

  test("from stack config: refresh and destroy without the program use the settings recorded at the last up and say so; with --run-program the current ones", async () => {
    const user = await rotatingUser();
    const name = unique("config-rotated");
    const { ELASTICSEARCH_ENDPOINTS } = t.providerEnv();
    await withStack({
      env: { ELASTIC_KEYS_HTTP_BASE_DELAY_MS: "20" },
      config: {
        "elastic:elasticsearchEndpoints": { value: ELASTICSEARCH_ENDPOINTS },
        "elastic:elasticsearchUsername": { value: user.username },
        "elastic:elasticsearchPassword": { value: user.password, secret: true },
      },
      program: async () => ({ keyId: new ApmAgentKey("k", { name, privileges: ["event:write"] }).keyId }),
    }).run(async (s) => {
      await s.up();
      await user.rotate("second-password-456");
      await s.stack.setConfig("elastic:elasticsearchPassword", { value: "second-password-456", secret: true });
      await assert.rejects(
        s.refresh(),
        /HTTP 401[\s\S]*refresh and destroy use the settings recorded at the last up unless run with --run-program/,
      );
      assert.deepEqual((await s.stack.refresh({ runProgram: true, onOutput: () => {} })).summary.resourceChanges, {
        same: 2,
      });
      await s.stack.destroy({ runProgram: true, onOutput: () => {} });
      assert.deepEqual(await liveKeysNamed(t, name), []);
      assert.deepEqual(leaked(await s.exportText(), ["second-password-456", user.password]), []);
    });
  });
});

describe("no secret in any message (14.3)", () => {
  test("a password inside an endpoint URL is refused at preview and printed nowhere", async () => {
    const password = "pw-in-url-7c1d";
    await withStack({
      env: { ...t.providerEnv(), ELASTICSEARCH_ENDPOINTS: t.esUrl.replace("://", `://elastic:${password}@`) },
      program: async () => void new ApmAgentKey("k", { name: unique("url"), privileges: ["event:write"] }),
    }).run(async (s) => {
      await assert.rejects(s.preview(), (e: Error) => {
        assert.match(e.message, /carries a username or password[\s\S]*username\/password \(or API key\) settings/);
        assert.deepEqual(leaked(e.message, [password]), []);
        return true;
      });
      assert.deepEqual(leaked(s.log(), [password]), []);
    });
  });

  test("an invalid input given as a Pulumi secret is refused without echoing it", async () => {
    const secret = "s3cr3t-expiration-value";
    await withStack({
      env: t.providerEnv(),
      program: async () =>
        void new CrossClusterApiKey("k", {
          name: unique("secret-input"),
          access: { search: [{ names: "logs" }] },
          expiration: pulumi.secret(secret),
        }),
    }).run(async (s) => {
      await assert.rejects(s.preview(), (e: Error) => {
        assert.match(e.message, /expiration: has a missing or unrecognised unit/);
        assert.deepEqual(leaked(e.message, [secret]), []);
        return true;
      });
      assert.deepEqual(leaked(s.log(), [secret]), []);
    });
  });
});

test("several Elasticsearch endpoints: with the first node down, up, refresh and destroy use the next one (14.5)", async () => {
  const name = unique("failover");
  await withStack({
    env: { ...t.providerEnv(), ELASTICSEARCH_ENDPOINTS: `http://127.0.0.1:1,${t.esUrl}` },
    program: async () => ({ keyId: new ApmAgentKey("k", { name, privileges: ["event:write"] }).keyId }),
  }).run(async (s) => {
    const up = await s.up();
    assert.deepEqual(
      (await liveKeysNamed(t, name)).map((k) => k.id),
      [str(up.outputs, "keyId")],
    );
    assert.deepEqual((await s.refresh()).summary.resourceChanges, { same: 2 });
    await s.destroy();
    assert.deepEqual(await liveKeysNamed(t, name), []);
  });
});

test("the import option fails at preview with what to do instead (14.6)", async () => {
  await withStack({
    env: t.providerEnv(),
    program: async () => void new ApmRole("r", { name: "existing-role" }, { import: "existing-role" }),
  }).run(async (s) => {
    await assert.rejects(s.preview(), (e: Error) => {
      assert.match(
        e.message,
        /ApmRole resource .r. has a problem: the `import` resource option is not supported[\s\S]*adoptExisting: true/,
      );
      assert.doesNotMatch(e.message, /toJavaScript/);
      return true;
    });
  });
});

test("a failure is shown once, with resource, endpoint, status, Elastic's words and the fix, and no stack frames (14.7)", async () => {
  const name = unique("shown-once");
  const program = async () => void new ApmAgentKey("k", { name, privileges: ["event:write"] });
  const restoreEnv = { beforeCleanup: (s: TestStack) => s.setEnv(t.providerEnv()) };
  await withStack({ env: t.providerEnv(), program }, restoreEnv).run(async (s) => {
    await s.up();
    s.setEnv({ ELASTICSEARCH_PASSWORD: "wrong-password-999" });
    await assert.rejects(s.refresh());
    const out = s.log();
    const diagnostics = out.slice(out.indexOf("Diagnostics:"));
    assert.equal(diagnostics.match(/Elastic says: unable to authenticate user/g)?.length, 1, diagnostics);
    assert.match(diagnostics, /ApmAgentKey "k": reading API key \S+ failed/);
    assert.match(diagnostics, /endpoint: GET http:\/\/\S+\/_security\/api_key\?id=\S+ -> HTTP 401/);
    assert.match(diagnostics, /fix: the credential was refused/);
    assert.doesNotMatch(out, /\n\s+at .*\(.*:\d+:\d+\)/, "no stack frames");
    assert.doesNotMatch(out, /\.ts:\d+/, "no TypeScript source positions");
    assert.deepEqual(leaked(out, ["wrong-password-999"]), []);
  });
});
