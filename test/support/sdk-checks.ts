// What every program on a generated SDK must leave on the servers, in its outputs and in its state — shared by the
// SDK tests of each language (test/engine/sdk-languages.test.ts, test/engine/java-program.test.ts): the same stack
// of all four resources, the role on a second cluster through a provider instance.
import * as assert from "node:assert/strict";
import { startEmulator, type Emulator } from "../../emulator";
import {
  activeEnrollmentKeys,
  authenticatesAs,
  createAgentPolicy,
  createUser,
  keyById,
  leaked,
  liveKeysNamed,
} from "./elastic-checks";
import { emulatorVersion, unique, type ElasticTarget } from "./target";

export interface Cluster {
  esUrl: string;
  kibanaUrl?: string;
  username: string;
  password: string;
}

export interface Scenario {
  suffix: string;
  policyId: string;
  main: Cluster;
  other: Cluster;
}

/** Each stack output: its value, and whether the engine holds it as a secret. */
export type Outputs = Record<string, { value: unknown; secret: boolean }>;
const value = (o: Outputs, k: string): string => String(o[k]?.value ?? "");

/** The main cluster (the target, a fresh superuser) and a second emulator; stop `other` when done. */
export async function sdkScenario(t: ElasticTarget): Promise<{ s: Scenario; other: Emulator }> {
  const other = await startEmulator({ esVersion: emulatorVersion() });
  const user = await createUser(t, unique("sdk").replace(/-/g, "_"), `pw-${unique("sdk-secret")}`, ["superuser"]);
  const s: Scenario = {
    suffix: unique("sdk"),
    policyId: await createAgentPolicy(t, unique("sdkpol")),
    main: { esUrl: t.esUrl, kibanaUrl: t.kibanaUrl, ...user },
    other: { esUrl: other.esUrl, ...other.superuser },
  };
  return { s, other };
}

async function otherRoleStatus(e: Emulator, name: string): Promise<number> {
  const res = await fetch(`${e.esUrl}/_security/role/${name}`, {
    headers: {
      authorization: `Basic ${Buffer.from(`${e.superuser.username}:${e.superuser.password}`).toString("base64")}`,
    },
  });
  await res.text();
  return res.status;
}

/**
 * After `up`: the keys authenticate and live where they should, the role only on the other cluster, secret outputs
 * secret, the keys and both providers' passwords encrypted in `exported` (`pulumi stack export`), and no secret in
 * `printed`. Returns the secrets, for later leak checks.
 */
export async function checkUp(
  t: ElasticTarget,
  s: Scenario,
  other: Emulator,
  out: Outputs,
  exported: string,
  printed: string,
): Promise<string[]> {
  for (const k of ["agentEncoded", "enrollToken", "ccEncoded"])
    assert.equal(out[k]?.secret, true, `${k} is a secret output`);
  assert.equal(out.agentKeyId?.secret, false, "ids are plain");
  const secrets = ["agentEncoded", "enrollToken", "ccEncoded"].map((k) => value(out, k));
  secrets.push(
    ...["agentEncoded", "ccEncoded"].map((k) => Buffer.from(value(out, k), "base64").toString().split(":")[1]),
  );
  secrets.push(s.main.password, s.other.password);
  assert.equal(await authenticatesAs(t, value(out, "agentEncoded")), value(out, "agentKeyId"));
  assert.equal(await authenticatesAs(t, value(out, "enrollToken")), value(out, "enrollApiKeyId"));
  assert.deepEqual(
    (await liveKeysNamed(t, `cc-${s.suffix}`)).map((k) => k.id),
    [value(out, "ccKeyId")],
  );
  assert.ok((await activeEnrollmentKeys(t, s.policyId)).some((k) => k.id === value(out, "enrollKeyId")));
  assert.equal(
    (await t.es("GET", `/_security/role/role-${s.suffix}`)).status,
    404,
    "the role is not on the main cluster",
  );
  assert.equal(await otherRoleStatus(other, `role-${s.suffix}`), 200, "the role is on the other cluster");
  const resources = (
    JSON.parse(exported) as { deployment: { resources: { type: string; outputs?: Record<string, unknown> }[] } }
  ).deployment.resources;
  const encrypted = (type: string, key: string) =>
    resources
      .filter((r) => r.type === type)
      .every((r) => typeof r.outputs?.[key] === "object" && "ciphertext" in (r.outputs[key] as object));
  assert.ok(encrypted("elastic:index:ApmAgentKey", "encoded") && encrypted("elastic:index:ApmAgentKey", "apiKey"));
  assert.ok(encrypted("elastic:index:EnrollmentApiKey", "apiKey"));
  assert.ok(encrypted("elastic:index:CrossClusterApiKey", "encoded"));
  assert.equal(resources.filter((r) => r.type === "pulumi:providers:elastic").length, 2, "two provider instances");
  assert.ok(encrypted("pulumi:providers:elastic", "elasticsearchPassword"), "the providers' passwords are encrypted");
  assert.deepEqual(leaked(exported, secrets), [], "no plaintext secret in the export");
  assert.deepEqual(leaked(printed, secrets), [], "no plaintext secret in what was printed");
  return secrets;
}

/** After `destroy`: nothing the stack made is live on either cluster. */
export async function checkDestroyed(t: ElasticTarget, s: Scenario, other: Emulator, out: Outputs): Promise<void> {
  assert.equal((await keyById(t, value(out, "agentKeyId")))?.invalidated, true);
  assert.deepEqual(await liveKeysNamed(t, `cc-${s.suffix}`), []);
  assert.ok(!(await activeEnrollmentKeys(t, s.policyId)).some((k) => k.id === value(out, "enrollKeyId")));
  assert.equal(await otherRoleStatus(other, `role-${s.suffix}`), 404);
}
