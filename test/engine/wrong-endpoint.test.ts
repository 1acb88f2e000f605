// A wrong Kibana URL, on the real CLI through the native plugin (a YAML program): `elastic:kibanaEndpoint` names an
// SSO proxy's sign-in page that answers every request with a 200 HTML page. Before the enrollment key's create is
// sent, Kibana must show that it answers there (provider/elastic/service-proof.ts): `up` fails with a plain error
// naming `elastic:kibanaEndpoint`, nothing is sent to create anything, and state holds no unresolved record; once the
// setting is corrected, `up` creates the key (README, Troubleshooting).
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { PLUGIN_DIR } from "../../scripts/lib/pulumi-cli";
import { activeEnrollmentKeys, createAgentPolicy } from "../support/elastic-checks";
import { signInPage } from "../support/proxies";
import { acceptanceMode, unique, useTarget } from "../support/target";
import { withCliProject } from "../support/engine";

const t = useTarget({ before, after });

describe("a wrong Kibana URL answering a 200 sign-in page", () => {
  test("a YAML up fails naming elastic:kibanaEndpoint, sends no create and keeps no record; the corrected URL creates", async () => {
    const policyId = await createAgentPolicy(t, unique("wrong-url-policy"));
    const page = await signInPage();
    const program = `name: pek-wrong-url\nruntime: yaml\nplugins:\n  providers:\n    - name: elastic\n      path: ${PLUGIN_DIR}\nresources:\n  enroll:\n    type: elastic:index:EnrollmentApiKey\n    properties:\n      policyId: ${policyId}\n`;
    // Fleet makes a "Default" key with each policy: the program's keys are named after it (`enroll-<suffix>`).
    const ours = async () => (await activeEnrollmentKeys(t, policyId)).filter((k) => k.name.startsWith("enroll-"));
    const closePage = { afterCleanup: () => page.close() };
    await withCliProject({ programYaml: program, env: t.providerEnv() }, closePage).run(async (p) => {
      const inState = async () => {
        const exported = JSON.parse((await p.pulumi(["stack", "export"])).stdout) as {
          deployment: { resources?: { type: string; id?: string }[] };
        };
        return (exported.deployment.resources ?? []).filter((r) => r.type === "elastic:index:EnrollmentApiKey");
      };
      await p.pulumi(["stack", "init", "dev"]);
      await p.pulumi(["config", "set", "elastic:kibanaEndpoint", page.url]);
      const fleetWrites = () =>
        acceptanceMode()
          ? 0
          : t.emulator!.admin.requests().filter((r) => r.method !== "GET" && r.path.includes("/api/fleet/")).length;
      const writesBefore = fleetWrites();
      const failed = await p.pulumi(["up", "--yes"], { expectFailure: true });
      const said = failed.stdout + failed.stderr;
      assert.match(said, /Fleet does not answer at its URL/);
      assert.match(said, /stack config `elastic:kibanaEndpoint`/);
      assert.doesNotMatch(said, /does not prove whether it was applied|stays in state/);
      assert.deepEqual(
        page.requests.filter((r) => r.method !== "GET"),
        [],
        "nothing was sent to create anything",
      );
      assert.equal(fleetWrites(), writesBefore, "nothing written to the real Kibana");
      assert.deepEqual(await inState(), [], "no unresolved record in state");
      assert.deepEqual(await ours(), []);

      await p.pulumi(["config", "set", "elastic:kibanaEndpoint", t.kibanaUrl]);
      await p.pulumi(["up", "--yes"]);
      const live = await ours();
      assert.deepEqual(
        (await inState()).map((r) => r.id),
        live.map((k) => k.id),
        "the key is live and in state, once",
      );
      assert.equal(live.length, 1);
      await p.pulumi(["destroy", "--yes"]);
    });
  });
});
