// API failures at `up` name the endpoint, the status and Elastic's own message, and never echo a credential.
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ApmAgentKey, EnrollmentApiKey } from "../../sdk";
import { assertNothingWritten, createUser, liveKeysNamed } from "../support/elastic-checks";
import { useTarget, unique } from "../support/target";
import { withStack } from "../support/engine";

const t = useTarget({ before, after });

const agentKey = async () => void new ApmAgentKey("key", { name: unique("e"), privileges: ["event:write"] });
const enrollmentKey = async () => void new EnrollmentApiKey("key", { policyId: "any-policy" });

async function upFails(
  env: Record<string, string>,
  expected: RegExp[],
  secrets: string[] = [],
  program: () => Promise<void> = agentKey,
): Promise<void> {
  await withStack({ env: { ELASTIC_KEYS_HTTP_BUDGET_MS: "1500", ...env }, program }).run(async (s) => {
    await assert.rejects(s.up(), (e: Error) => {
      for (const re of expected) assert.match(e.message, re);
      for (const secret of secrets) assert.ok(!e.message.includes(secret), "no credential in the error");
      return true;
    });
    for (const secret of secrets) assert.ok(!s.log().includes(secret), "no credential in the engine log");
  });
}

describe("errors at up", () => {
  test("an unreachable Elasticsearch is named by its URL", () =>
    upFails({ ...t.providerEnv(), ELASTICSEARCH_ENDPOINTS: "http://127.0.0.1:1" }, [
      /ApmAgentKey "key"/,
      /cannot reach Elasticsearch at http:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\)/,
    ]));

  test("an unreachable Kibana is named as Kibana, by its URL and the setting that gave it (also for Fleet calls)", () =>
    upFails(
      { ...t.providerEnv(), KIBANA_ENDPOINT: "http://127.0.0.1:1" },
      [
        /EnrollmentApiKey "key"/,
        /cannot reach Kibana at http:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\)/,
        /that env KIBANA_ENDPOINT is right/,
      ],
      [],
      enrollmentKey,
    ));

  test("a 401 names the endpoint and status without echoing the credential", () =>
    upFails(
      { ...t.providerEnv({ username: t.superuser.username, password: "wrong-password-123" }) },
      [/endpoint: (GET|POST) http:\/\/127\.0\.0\.1:\d+\/_security\/\S+ -> HTTP 401/, /credential was refused/],
      ["wrong-password-123"],
    ));

  test("a caller without the APM privileges is told which ones and what to grant, before any key is made", async (ctx) => {
    // The user may make API keys (manage_own_api_key) but lacks the apm privileges: a key made anyway would
    // authenticate and then be refused by APM Server.
    const roleName = unique("no-apm");
    await t.es("PUT", `/_security/role/${roleName}`, {
      cluster: ["manage_own_api_key"],
      applications: [{ application: "kibana-.kibana", privileges: ["feature_apm.all"], resources: ["*"] }],
    });
    const user = await createUser(t, unique("weak"), "weak-password-123", [roleName]);
    const name = unique("refused");
    t.emulator?.admin.clearRequests();
    await upFails(
      t.providerEnv(user),
      [/is missing apm application privilege event:write, which an APM agent key needs/, /ApmRole/],
      ["weak-password-123"],
      async () => void new ApmAgentKey("key", { name, privileges: ["event:write"] }),
    );
    await assertNothingWritten(ctx, t, "no write reached Elasticsearch or Kibana");
    assert.deepEqual(await liveKeysNamed(t, name), [], "no key is live");
  });

  test("an HTML sign-in page from a proxy is reported as not JSON and not Kibana's, with the fix", async () => {
    const proxy: Server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html><body><h1>Corporate SSO</h1><p>Please sign in</p></body></html>");
    });
    await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
    try {
      const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      await upFails(
        { ...t.providerEnv(), KIBANA_ENDPOINT: url, ELASTIC_KEYS_HTTP_BUDGET_MS: "300" },
        [
          /HTTP 200/,
          /not JSON \(content-type "text\/html"\): Corporate SSO Please sign in/,
          /did not come from Kibana/,
        ],
        [],
        enrollmentKey,
      );
    } finally {
      proxy.close();
    }
  });
});
