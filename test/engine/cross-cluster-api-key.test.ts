// CrossClusterApiKey on the real engine against the emulator (or a real stack in acceptance mode).
// Requirement numbers refer to provider/resources/cross-cluster-api-key/SPEC.md, section codes to
// docs/elastic-api.md.
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { CrossClusterApiKey, type CrossClusterApiKeyArgs } from "../../sdk";
import {
  assertCreatedBeforeRetired,
  assertNothingWritten,
  createUser,
  keyById,
  leaked,
  liveKeysNamed,
} from "../support/elastic-checks";
import { str } from "../support/outputs";
import { assertProviderText } from "../support/provider-text";
import { createRouteFaults } from "../support/faults";
import { createTestStack, type TestStack } from "../../scripts/lib/stack";
import { faultsCleared, withStack } from "../support/engine";
import { acceptanceMode, sameAtEveryVersion, useTarget, unique } from "../support/target";

const t = useTarget({ before, after });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The key's access as the server reports it (C.3). */
async function serverAccess(id: string): Promise<unknown> {
  return (await keyById(t, id))?.access;
}

/** A cross-cluster key is refused on the REST layer (0.2): a 401 naming its type proves the secret is the key's. */
async function refusedAsCrossCluster(encoded: string): Promise<boolean> {
  const r = await t.es("GET", "/_security/_authenticate", undefined, { apiKey: encoded });
  return r.status === 401 && JSON.stringify(r.body).includes("cross_cluster");
}

interface StoredResource {
  type: string;
  inputs: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}
function exportedResource(exported: string): StoredResource {
  const resources = JSON.parse(exported).resources as StoredResource[];
  return resources.find((r) => r.type.endsWith(":CrossClusterApiKey"))!;
}

describe("CrossClusterApiKey", () => {
  test("create, no-op, update access in place, drift repaired, rotate, refresh a dead key, destroy — secrets encrypted", async (ctx) => {
    const name = unique("cc");
    let args: CrossClusterApiKeyArgs = {
      name,
      access: { search: [{ names: ["logs-b", "logs-a"], query: { term: { team: "ops" } } }] },
      metadata: { owner: "ops" },
    };
    await withStack({
      env: t.providerEnv(),
      program: async () => {
        const key = new CrossClusterApiKey("remote", args);
        return { keyId: key.keyId, encoded: key.encoded, apiKey: key.apiKey, access: key.access };
      },
    }).run(async (s) => {
      // R2: one key, secrets marked secret; `encoded` is base64 of id:api_key and is the live key's.
      const up = await s.up();
      assert.deepEqual(up.summary.resourceChanges, { create: 2 });
      const keyId = str(up.outputs, "keyId");
      const encoded = str(up.outputs, "encoded");
      const apiKey = str(up.outputs, "apiKey");
      assert.equal(up.outputs.encoded.secret, true);
      assert.equal(up.outputs.apiKey.secret, true);
      assert.equal(Buffer.from(encoded, "base64").toString(), `${keyId}:${apiKey}`);
      const live = await keyById(t, keyId);
      assert.equal(live?.invalidated, false);
      assert.equal((live as { type?: string } | undefined)?.type, "cross_cluster");
      assert.ok(await refusedAsCrossCluster(encoded), "the REST layer refuses it as a cross-cluster key");

      // Nothing in plaintext: no key, no credential in the export or the log; __provider small and credential-free.
      const exported = await s.exportText();
      assert.deepEqual(leaked(exported, [encoded, apiKey, t.superuser.password]), []);
      assert.deepEqual(leaked(s.log(), [encoded, apiKey, t.superuser.password]), []);
      const stored = exportedResource(exported);
      assert.match(JSON.stringify(stored.outputs?.encoded), /ciphertext/, "stored encrypted");
      assertProviderText(String(stored.inputs.__provider), [t.superuser.password]);

      // R3, R7: a re-spelled but equal program, and a refresh of a clean stack, change nothing.
      args = {
        ...args,
        access: {
          search: [{ names: ["logs-a", "logs-b"], query: '{"term": {"team": "ops"}}', allowRestrictedIndices: false }],
        },
      };
      assert.deepEqual((await s.up()).summary.resourceChanges, { same: 2 });
      assert.deepEqual((await s.refresh()).summary.resourceChanges, { same: 2 });
      assert.deepEqual((await s.preview()).changeSummary, { same: 2 });

      // R4: access and metadata update in place — same key id, same secret, new access on the server.
      args = {
        ...args,
        access: { search: [{ names: "metrics-*" }], replication: [{ names: ["archive"] }] },
        metadata: {},
      };
      assert.deepEqual((await s.preview()).changeSummary, { same: 1, update: 1 });
      const updated = await s.up();
      assert.deepEqual(updated.summary.resourceChanges, { same: 1, update: 1 });
      assert.equal(str(updated.outputs, "keyId"), keyId);
      assert.equal(str(updated.outputs, "encoded"), encoded);
      assert.deepEqual(await serverAccess(keyId), {
        search: [{ names: ["metrics-*"], allow_restricted_indices: false }],
        replication: [{ names: ["archive"], allow_restricted_indices: false }],
      });
      // The key keeps its create mark (R9), which never shows in the outputs or a diff.
      assert.deepEqual(Object.keys((await keyById(t, keyId))?.metadata ?? {}), ["pulumi_elastic_keys_create"]);

      // R7: an out-of-band access change shows at refresh and the next up puts the declared access back.
      const tampered = await t.es("PUT", `/_security/cross_cluster/api_key/${keyId}`, {
        access: { search: [{ names: ["*"] }] },
      });
      assert.equal(tampered.status, 200);
      assert.deepEqual((await s.refresh()).summary.resourceChanges, { same: 1, update: 1 });
      assert.deepEqual((await s.preview()).changeSummary, { same: 1, update: 1 });
      assert.deepEqual((await s.up()).summary.resourceChanges, { same: 1, update: 1 });
      assert.deepEqual(await serverAccess(keyId), {
        search: [{ names: ["metrics-*"], allow_restricted_indices: false }],
        replication: [{ names: ["archive"], allow_restricted_indices: false }],
      });

      // R5: rotationTrigger replaces, new key first; the old one ends invalidated.
      args = { ...args, rotationTrigger: "2027-01" };
      assert.equal((await s.preview()).changeSummary.replace, 1);
      const rotated = await s.up();
      const rotatedId = str(rotated.outputs, "keyId");
      assert.notEqual(rotatedId, keyId);
      assert.notEqual(str(rotated.outputs, "encoded"), encoded);
      assert.equal((await keyById(t, keyId))?.invalidated, true);
      assert.equal((await keyById(t, rotatedId))?.invalidated, false);
      await assertCreatedBeforeRetired(ctx, t, [{ key: "cross-cluster key", oldId: keyId, newId: rotatedId }]);

      // R6: invalidated out of band ⇒ refresh drops it, the next up creates a new one.
      assert.equal((await t.es("DELETE", "/_security/api_key", { ids: [rotatedId] })).status, 200);
      assert.equal((await s.refresh()).summary.resourceChanges?.delete, 1);
      const repaired = await s.up();
      assert.equal(repaired.summary.resourceChanges?.create, 1);
      const repairedId = str(repaired.outputs, "keyId");
      assert.equal((await keyById(t, repairedId))?.invalidated, false);

      // R8: destroy invalidates — a soft delete, the key stays visible, as on the real server.
      await s.destroy();
      assert.equal((await keyById(t, repairedId))?.invalidated, true);
      assert.deepEqual(await liveKeysNamed(t, name), []);
      if (t.emulator) {
        const mine = t.emulator.admin.state().apiKeys.filter((k) => k.name === name);
        assert.equal(mine.length, 3, "three keys were made over the stack's life, none deleted outright");
        assert.ok(mine.every((k) => k.invalidated && k.type === "cross_cluster"));
      }
    });
  });

  test(
    "a key expired by the server's clock is dropped by refresh and recreated; a dead key's update says to refresh; destroy succeeds after the key was invalidated by hand (R2, R6, R8)",
    sameAtEveryVersion,
    async () => {
      const name = unique("cc-exp");
      let expiration: string | undefined = "2m";
      let names = "a";
      await withStack({
        env: t.providerEnv(),
        program: async () => {
          const key = new CrossClusterApiKey("short", { name, access: { replication: [{ names }] }, expiration });
          return { keyId: key.keyId, expiresAt: key.expiresAt };
        },
      }).run(async (s) => {
        const started = Date.now();
        const up = await s.up();
        const expiresAt = Date.parse(str(up.outputs, "expiresAt"));
        assert.ok(
          expiresAt >= started + 120_000 - 1_000 && expiresAt <= Date.now() + 120_000 + 1_000,
          "absolute expiry",
        );
        // Expiry is judged by the server's clock (R6): on the emulator its clock moves ahead of ours; a real server
        // is waited for.
        if (t.emulator) t.emulator.admin.advanceClock(expiresAt - Date.now() + 1_000);
        else await sleep(Math.max(0, expiresAt - Date.now() + 1_000));
        assert.ok(Date.now() < expiresAt || !t.emulator, "by this machine's clock the key is still valid");
        assert.equal((await s.refresh()).summary.resourceChanges?.delete, 1, "expired ⇒ gone");

        expiration = undefined; // an expiration change replaces; here the old key is already gone
        const again = await s.up();
        assert.equal(again.summary.resourceChanges?.create, 1);
        const keyId = str(again.outputs, "keyId");
        assert.equal((await t.es("DELETE", "/_security/api_key", { ids: [keyId] })).status, 200);
        // Updating a key that died out of band, before a refresh noticed, fails with the way out (C.4).
        names = "b";
        await assert.rejects(
          s.up(),
          /cannot update invalidated API key[\s\S]*run `pulumi refresh` to drop it from state/,
        );
        assert.deepEqual((await s.destroy()).summary.resourceChanges, { delete: 2 });
      });
    },
  );

  test("destroy without manage_security fails with a clear error and leaves the key live (R8, C.5)", async () => {
    const name = unique("cc-priv");
    const roleName = unique("key-admin");
    assert.equal((await t.es("PUT", `/_security/role/${roleName}`, { cluster: ["manage_api_key"] })).status, 200);
    const user = await createUser(t, unique("key-admin"), "key-admin-password", [roleName]);
    const program = async () => ({
      keyId: new CrossClusterApiKey("k", { name, access: { search: [{ names: "a" }] } }).keyId,
    });
    await withStack({ env: t.providerEnv(), program, stackName: unique("priv") }).run(async (admin) => {
      const keyId = str((await admin.up()).outputs, "keyId");
      // The same stack, run with a credential that holds manage_api_key but not manage_security (cleaned up first:
      // the stack is admin's, in admin's backend, so this removes its own temp dirs).
      const weakly = { env: t.providerEnv(user), program, stackName: admin.stack.name, backendDir: admin.backendDir };
      await withStack(weakly).run(async (weak) => {
        await assert.rejects(weak.destroy(), (e: Error) => {
          assert.match(e.message, /CrossClusterApiKey "k": invalidating API key/);
          assert.match(e.message, /Cannot invalidate cross-cluster API key/);
          assert.match(e.message, /manage_security/);
          assert.ok(!e.message.includes(user.password));
          return true;
        });
        assert.equal((await keyById(t, keyId))?.invalidated, false, "not a silent success");
        await admin.destroy();
        assert.equal((await keyById(t, keyId))?.invalidated, true);
      });
    });
  });

  test("an API key credential cannot create cross-cluster keys: the error says to use a user's credentials (C)", async () => {
    const made = await t.es("POST", "/_security/api_key", { name: unique("admin-key") });
    assert.equal(made.status, 200);
    await withStack({
      env: t.providerEnv({ apiKey: (made.body as { encoded: string }).encoded }),
      program: async () =>
        void new CrossClusterApiKey("k", { name: unique("cc"), access: { search: [{ names: "a" }] } }),
    }).run(async (s) => {
      await assert.rejects(s.up(), (e: Error) => {
        assert.match(e.message, /CrossClusterApiKey "k": creating the cross-cluster API key failed/);
        assert.match(e.message, /HTTP 400/);
        assert.match(e.message, /authentication via API key not supported/);
        assert.match(e.message, /must be managed with a user's credentials, not an API key/);
        return true;
      });
    });
  });

  test(
    "429/503 and commit-then-fail on the create route still end with exactly one live key per resource (R9)",
    { skip: acceptanceMode() ? "emulator only" : false },
    async () => {
      const names = [unique("ccf-a"), unique("ccf-b"), unique("ccf-c")];
      const route = { listener: "es" as const, method: "POST", path: "^/_security/cross_cluster/api_key$" };
      t.emulator!.admin.clearRequests();
      t.emulator!.admin.setFaults(createRouteFaults(route));
      await withStack(
        {
          env: t.providerEnv(),
          program: async () =>
            Object.fromEntries(
              names.map((n, i) => [
                `k${i}`,
                new CrossClusterApiKey(`k${i}`, { name: n, access: { search: [{ names: "x" }] } }).keyId,
              ]),
            ),
        },
        faultsCleared(t),
      ).run(async (s) => {
        const up = await s.up();
        assert.equal(up.summary.resourceChanges?.create, 4);
        const statuses = t
          .emulator!.admin.requests()
          .filter((r) => r.method === "POST" && r.path === "/_security/cross_cluster/api_key" && r.status !== 200)
          .map((r) => r.status)
          .sort();
        assert.deepEqual(statuses, [0, 429, 429, 503, 503], "every fault fired");
        for (const [i, n] of names.entries()) {
          const live = await liveKeysNamed(t, n);
          assert.deepEqual(
            live.map((k) => k.id),
            [str(up.outputs, `k${i}`)],
            `exactly one live key named ${n}`,
          );
        }
        t.emulator!.admin.clearFaults();
        await s.destroy();
        for (const n of names) assert.deepEqual(await liveKeysNamed(t, n), []);
      });
    },
  );

  test("a search query next to replication: refused at preview, as Elasticsearch refuses it from 8.14 (R10)", async (ctx) => {
    const access = { search: [{ names: ["logs"], query: { term: { team: "ops" } } }], replication: [{ names: ["b"] }] };
    // Elasticsearch's own rule, at this version (CrossClusterApiKeyRoleDescriptorBuilder.java, 8.14).
    const direct = await t.es("POST", "/_security/cross_cluster/api_key", { name: unique("dls"), access });
    assert.equal(direct.status, 400);
    assert.match(
      JSON.stringify(direct.body),
      /search does not support document or field level security if replication is assigned/,
    );
    await withStack({
      env: t.providerEnv(),
      program: async () => void new CrossClusterApiKey("dls", { name: unique("dls"), access }),
    }).run(async (s) => {
      t.emulator?.admin.clearRequests();
      await assert.rejects(s.preview(), /access\.search\.0\.query: .*if replication is assigned/);
      await assertNothingWritten(ctx, t);
    });
  });

  describe("validation at preview, before any write (R10)", sameAtEveryVersion, () => {
    let v: TestStack;
    let args: Record<string, unknown> = {};
    before(async () => {
      v = await createTestStack({
        env: t.providerEnv(),
        program: async () =>
          void new CrossClusterApiKey("bad", { name: "cc", access: { search: [{ names: "a" }] }, ...args } as never),
      });
    });
    after(async () => {
      await v.cleanup();
    });

    const cases: [string, Record<string, unknown>, RegExp][] = [
      ["an empty name", { name: "" }, /name: must not be empty/],
      ["a whitespace-padded name", { name: " cc" }, /name: must not begin or end with whitespace/],
      ["a name starting with _", { name: "_cc" }, /name: must not begin with an underscore/],
      ["a name over 256 characters", { name: "c".repeat(257) }, /name: is longer than the 256 characters/],
      [
        "access with neither search nor replication",
        { access: {} },
        /access: must give at least one search or replication/,
      ],
      [
        "an empty names list",
        { access: { search: [{ names: [] }] } },
        /access\.search\.0\.names: must list at least one/,
      ],
      [
        "a query in a replication entry",
        { access: { replication: [{ names: "a", query: { match_all: {} } }] } },
        /access\.replication\.0\.query: .*replication does not support document or field level security/,
      ],
      [
        "fieldSecurity in a search entry while replication is granted",
        { access: { search: [{ names: "a", fieldSecurity: { grant: ["*"] } }], replication: [{ names: "b" }] } },
        /access\.search\.0\.fieldSecurity: .*if replication is assigned/,
      ],
      ["expiration 1w", { expiration: "1w" }, /expiration: has a missing or unrecognised unit/],
      ["expiration 1.5d", { expiration: "1.5d" }, /expiration: fractional durations are not supported/],
      ["expiration -5d", { expiration: "-5d" }, /expiration: negative durations are not supported/],
      [
        "expiration 0 (expired at birth)",
        { expiration: "0" },
        /expiration: would create a key that is expired at birth/,
      ],
      ["expiration 0d", { expiration: "0d" }, /expiration: is too short: the lifetime must be from "1m"/],
      [
        "expiration 999999999d",
        { expiration: "999999999d" },
        /expiration: is too long: the lifetime must be from "1m" \(one minute\) to "365000d"/,
      ],
      ["a metadata key starting with _", { metadata: { _x: 1 } }, /metadata: keys must not start with "_"/],
    ];
    for (const [what, bad, reason] of cases)
      test(`${what} fails at preview`, async (ctx) => {
        args = bad;
        t.emulator?.admin.clearRequests();
        await assert.rejects(v.preview(), (e: Error) => {
          assert.match(e.message, /CrossClusterApiKey resource 'bad'/);
          assert.match(e.message, reason);
          return true;
        });
        await assertNothingWritten(ctx, t);
      });
  });
});
