// The deployments users have (README, Deployments): Kibana under a base path, Elasticsearch behind a proxy that adds a
// path prefix, one API key for every service (as on Elastic Cloud), and a Kibana behind another TLS CA than
// Elasticsearch's. Each case starts an emulator serving that deployment (emulator/README.md, Deployments).
import { describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { ApmRole, EnrollmentApiKey } from "../../sdk";
import { withCliProject, withStack } from "../support/engine";
import { PLUGIN_DIR } from "../../scripts/lib/pulumi-cli";
import { activeEnrollmentKeys, createAgentPolicy, leaked } from "../support/elastic-checks";
import { acceptanceMode, startTarget, unique, type ElasticTarget } from "../support/target";
import type { EmulatorOptions } from "../../emulator";

const emulatorOnly = { skip: acceptanceMode() ? "the deployment is the emulator's" : false };

/** A target serving `options`, stopped after `fn`. */
async function withDeployment(options: EmulatorOptions, fn: (t: ElasticTarget) => Promise<void>): Promise<void> {
  const t = await startTarget(options);
  try {
    await fn(t);
  } finally {
    await t.stop();
  }
}

/**
 * An API key with the superuser's privileges, as a Cloud deployment's admin key: the encoded form. (Agent and
 * cross-cluster keys cannot be made with an API key: README, Known limits.)
 */
async function adminApiKey(t: ElasticTarget): Promise<string> {
  const r = await t.es("POST", "/_security/api_key", { name: unique("cloud-admin") });
  assert.equal(r.status, 200);
  return (r.body as { encoded: string }).encoded;
}

const roleStatus = async (t: ElasticTarget, name: string) => (await t.es("GET", `/_security/role/${name}`)).status;

/** The ids of the policy's active enrollment keys named `name` (Fleet stores `<name> (<id>)`; a policy has its own). */
async function ourKeys(t: ElasticTarget, policyId: string, name: string): Promise<string[]> {
  return (await activeEnrollmentKeys(t, policyId)).filter((k) => k.name === `${name} (${k.id})`).map((k) => k.id);
}

/** A PEM file in the project, as a user gives a CA: by path. */
function pemFile(dir: string, file: string, pem: string): string {
  const at = path.join(dir, file);
  writeFileSync(at, pem);
  return at;
}

describe("deployments users have", emulatorOnly, () => {
  test("native plugin (YAML): Kibana under /kibana with a CA of its own, Elasticsearch behind a proxy's /es prefix, one API key for every service", () =>
    withDeployment({ tls: true, kibanaOwnCa: true, kibanaBasePath: "/kibana", esPathPrefix: "/es" }, async (t) => {
      const s = unique("cloud");
      const policyId = await createAgentPolicy(t, unique("cloud-pol"));
      const apiKey = await adminApiKey(t);
      await withCliProject({
        programYaml: `name: pek-deploy\nruntime: yaml\nplugins:\n  providers:\n    - name: elastic\n      path: ${PLUGIN_DIR}\nresources:\n  role:\n    type: elastic:index:ApmRole\n    properties:\n      name: role-${s}\n  enroll:\n    type: elastic:index:EnrollmentApiKey\n    properties:\n      policyId: ${policyId}\n      name: enroll-${s}\noutputs:\n  enrollKeyId: \${enroll.keyId}\n`,
      }).run(async (p) => {
        await p.pulumi(["stack", "init", "dev"]);
        // As a user types it: the URLs with their paths, each service's CA file, the API key as a secret.
        for (const [key, value] of [
          ["elasticsearchEndpoints", t.esUrl],
          ["kibanaEndpoint", t.kibanaUrl],
          ["elasticsearchCaCert", pemFile(p.dir, "es-ca.pem", t.caCertPem!)],
          ["kibanaCaCert", pemFile(p.dir, "kibana-ca.pem", t.kibanaCaCertPem!)],
        ])
          await p.pulumi(["config", "set", `elastic:${key}`, value]);
        await p.pulumi(["config", "set", "--secret", "elastic:elasticsearchApiKey", apiKey]);
        await p.pulumi(["config", "set", "--secret", "elastic:kibanaApiKey", apiKey]);
        t.emulator!.admin.clearRequests();
        await p.pulumi(["up", "--yes"]);
        const out = JSON.parse((await p.pulumi(["stack", "output", "--json"])).stdout) as Record<string, string>;
        assert.equal(await roleStatus(t, `role-${s}`), 200, "the role, through the proxy's prefix");
        assert.deepEqual(
          await ourKeys(t, policyId, `enroll-${s}`),
          [out.enrollKeyId],
          "the enrollment key, through Fleet under Kibana's base path",
        );
        // Every request reached the services below their paths: none met the proxy's or Kibana's outside answer.
        const paths = t.emulator!.admin.requests().map((r) => `${r.listener} ${r.path}`);
        assert.ok(
          paths.some((r) => r.startsWith("kibana /kibana/api/fleet/")),
          "Fleet was called under /kibana",
        );
        assert.ok(
          paths.some((r) => r.startsWith("es /es/_security/role/")),
          "roles were written under /es",
        );
        assert.deepEqual(
          paths.filter((r) => !/^(es \/es\/|kibana \/kibana\/)/.test(r)),
          [],
          "nothing sent outside the paths",
        );
        await p.pulumi(["preview", "--expect-no-changes"]);
        await p.pulumi(["destroy", "--yes"]);
        assert.equal(await roleStatus(t, `role-${s}`), 404);
        assert.deepEqual(await ourKeys(t, policyId, `enroll-${s}`), []);
        assert.deepEqual(leaked(p.transcript(), [apiKey]), []);
      });
    }));

  test("dynamic provider: Kibana under a base path and Elasticsearch behind a prefix, with one API key in ELASTICSEARCH_API_KEY", () =>
    withDeployment({ kibanaBasePath: "/kibana", esPathPrefix: "/es" }, async (t) => {
      const s = unique("dyn");
      const policyId = await createAgentPolicy(t, unique("dyn-pol"));
      const apiKey = await adminApiKey(t);
      const { ELASTICSEARCH_USERNAME: _u, ELASTICSEARCH_PASSWORD: _p, ...endpoints } = t.providerEnv();
      await withStack({
        // Kibana and Fleet take Elasticsearch's credential when they have none of their own (README, Configuration).
        env: { ...endpoints, ELASTICSEARCH_API_KEY: apiKey },
        program: async () => {
          const role = new ApmRole("role", { name: `role-${s}` });
          const enroll = new EnrollmentApiKey("enroll", { policyId, name: `enroll-${s}` });
          return { role: role.name, enroll: enroll.keyId };
        },
      }).run(async (stack) => {
        const up = await stack.up();
        assert.equal(up.summary.resourceChanges?.create, 3);
        assert.equal(await roleStatus(t, `role-${s}`), 200);
        assert.deepEqual(await ourKeys(t, policyId, `enroll-${s}`), [up.outputs.enroll?.value]);
        assert.deepEqual((await stack.preview()).changeSummary, { same: 3 });
        await stack.destroy();
        assert.equal(await roleStatus(t, `role-${s}`), 404);
        assert.deepEqual(await ourKeys(t, policyId, `enroll-${s}`), []);
        assert.deepEqual(leaked(await stack.exportText(), [apiKey]), []);
      });
    }));

  test("a Kibana URL without its base path (or with one too many) fails, saying to fix the base path in the Kibana setting; nothing is written", () =>
    withDeployment({ kibanaBasePath: "/kibana" }, async (t) => {
      const policyId = await createAgentPolicy(t, unique("nobase-pol"));
      for (const wrong of [new URL(t.kibanaUrl).origin, `${t.kibanaUrl}/kibana`]) {
        const name = unique("e");
        await withStack({
          env: { ...t.providerEnv(), KIBANA_ENDPOINT: wrong },
          program: async () => void new EnrollmentApiKey("enroll", { policyId, name }),
        }).run(async (stack) => {
          await assert.rejects(stack.up(), (e: Error) => {
            assert.match(e.message, /HTTP 404/);
            assert.match(
              e.message,
              /Kibana has no such route: check the path in env KIBANA_ENDPOINT \(a base path such as \/kibana missing, or one too many\)/,
            );
            return true;
          });
          assert.deepEqual(await ourKeys(t, policyId, name), [], wrong);
        });
      }
    }));

  test("an Elasticsearch URL without the proxy's prefix fails, saying the answer is not Elasticsearch's and which setting to check", () =>
    withDeployment({ esPathPrefix: "/es" }, async (t) => {
      const name = unique("noprefix");
      await withStack({
        env: { ...t.providerEnv(), ELASTICSEARCH_ENDPOINTS: new URL(t.esUrl).origin },
        program: async () => void new ApmRole("role", { name }),
      }).run(async (stack) => {
        await assert.rejects(stack.up(), (e: Error) => {
          assert.match(
            e.message,
            /the answer did not come from Elasticsearch \(no X-Elastic-Product header\): a proxy, load balancer or another service answers at that URL; check env ELASTICSEARCH_ENDPOINTS/,
          );
          return true;
        });
        assert.equal(await roleStatus(t, name), 404);
      });
    }));

  test("a Kibana behind another CA: refused, naming Kibana, with Elasticsearch's CA only; trusted through the Kibana CA setting", () =>
    withDeployment({ tls: true, kibanaOwnCa: true }, async (t) => {
      const policyId = await createAgentPolicy(t, unique("ca-pol"));
      const name = unique("ca");
      await withStack({
        env: { ...t.providerEnv(), ELASTICSEARCH_CA_DATA: t.caCertPem! },
        program: async () => ({ id: new EnrollmentApiKey("enroll", { policyId, name }).keyId }),
      }).run(async (stack) => {
        await assert.rejects(stack.up(), /the TLS certificate of Kibana at https:\/\/\S+ is not trusted/);
        assert.deepEqual(await ourKeys(t, policyId, name), []);
        stack.setEnv({ KIBANA_CA_CERTS: t.kibanaCaCertPem! });
        const up = await stack.up();
        assert.deepEqual(await ourKeys(t, policyId, name), [up.outputs.id?.value]);
        await stack.destroy();
        assert.deepEqual(await ourKeys(t, policyId, name), []);
      });
    }));
});
