// ApmAgentKey on the real engine against the emulator (or a real stack in acceptance mode).
// Requirement numbers refer to provider/resources/apm-agent-key/SPEC.md.
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { ApmAgentKey, ApmRole } from "../../sdk";
import {
  assertCreatedBeforeRetired,
  authenticatesAs,
  createUser,
  keyById,
  leaked,
  liveKeysNamed,
} from "../support/elastic-checks";
import { str } from "../support/outputs";
import { assertProviderText } from "../support/provider-text";
import { createRouteFaults } from "../support/faults";
import { acceptanceMode, sameAtEveryVersion, useTarget, unique } from "../support/target";
import { faultsCleared, withStack, withStacks } from "../support/engine";

const t = useTarget({ before, after });

describe("ApmAgentKey", () => {
  test("create, use, no-op, rotate, refresh a dead key, destroy — with every secret encrypted", async (ctx) => {
    const name = unique("ingest");
    type Privilege = "event:write" | "config_agent:read";
    let privileges: Privilege[] = ["event:write", "config_agent:read", "event:write"];
    let rotationTrigger = "2026-11";
    await withStack({
      env: t.providerEnv(),
      program: async () => {
        const key = new ApmAgentKey("ingest", { name, privileges, rotationTrigger });
        return { keyId: key.keyId, encoded: key.encoded, apiKey: key.apiKey, privileges: key.privileges };
      },
    }).run(async (s) => {
      // R2, R3: one key, secrets marked secret, the encoded key really authenticates.
      const up = await s.up();
      assert.equal(up.summary.resourceChanges?.create, 2);
      const keyId = str(up.outputs, "keyId");
      const encoded = str(up.outputs, "encoded");
      assert.equal(up.outputs.encoded.secret, true);
      assert.equal(up.outputs.apiKey.secret, true);
      assert.deepEqual(up.outputs.privileges.value, ["config_agent:read", "event:write"], "R1: sorted, de-duplicated");
      assert.equal(Buffer.from(encoded, "base64").toString(), `${keyId}:${str(up.outputs, "apiKey")}`);
      assert.equal(await authenticatesAs(t, encoded), keyId);

      // Nothing in plaintext: no key, no credential in the export; __provider small and credential-free.
      const exported = await s.exportText();
      assert.deepEqual(leaked(exported, [encoded, str(up.outputs, "apiKey"), t.superuser.password]), []);
      assert.deepEqual(leaked(s.log(), [encoded, str(up.outputs, "apiKey"), t.superuser.password]), []);
      const resource = (JSON.parse(exported).resources as { type: string; inputs: Record<string, unknown> }[]).find(
        (r) => r.type.endsWith(":ApmAgentKey"),
      )!;
      assertProviderText(String(resource.inputs.__provider), [t.superuser.password]);

      // A second up changes nothing (reordered privileges included).
      privileges = ["config_agent:read", "event:write"];
      const again = await s.up();
      assert.deepEqual(again.summary.resourceChanges, { same: 2 });

      // R4: an input change previews as a replace and rotates without an outage: new key first, old invalidated.
      rotationTrigger = "2026-12";
      const preview = await s.preview();
      assert.equal(preview.changeSummary.replace, 1);
      const rotated = await s.up();
      const newId = str(rotated.outputs, "keyId");
      assert.notEqual(newId, keyId);
      assert.equal((await keyById(t, keyId))?.invalidated, true, "old key invalidated");
      assert.equal(await authenticatesAs(t, str(rotated.outputs, "encoded")), newId);
      assert.equal(await authenticatesAs(t, encoded), undefined, "old key no longer authenticates");
      await assertCreatedBeforeRetired(ctx, t, [{ key: "agent key", oldId: keyId, newId }]);

      // R5: invalidated out of band ⇒ refresh drops it, the next up recreates it.
      const byHand = await t.es("DELETE", "/_security/api_key", { ids: [newId] });
      assert.equal(byHand.status, 200);
      const refresh = await s.refresh();
      assert.equal(refresh.summary.resourceChanges?.delete, 1);
      const repaired = await s.up();
      assert.equal(repaired.summary.resourceChanges?.create, 1);
      const repairedId = str(repaired.outputs, "keyId");
      assert.equal(await authenticatesAs(t, str(repaired.outputs, "encoded")), repairedId);

      // R6: destroy invalidates (soft delete: the key stays visible, invalidated).
      await s.destroy();
      assert.equal((await keyById(t, repairedId))?.invalidated, true);
      assert.deepEqual(await liveKeysNamed(t, name), []);
      if (t.emulator) {
        // As the real server would leave it: every key of the stack still there, soft-deleted with a time.
        const all = t.emulator.admin.state().apiKeys.filter((k) => k.name === name);
        assert.deepEqual(all.map((k) => k.id).sort(), [keyId, newId, repairedId].sort());
        assert.ok(all.every((k) => k.invalidated && typeof k.invalidation === "number"));
      }
    });
  });

  test("destroy succeeds when the key was already invalidated by hand", sameAtEveryVersion, async () => {
    const name = unique("gone");
    await withStack({
      env: t.providerEnv(),
      program: async () => ({ keyId: new ApmAgentKey("k", { name, privileges: ["event:write"] }).keyId }),
    }).run(async (s) => {
      const up = await s.up();
      await t.es("DELETE", "/_security/api_key", { ids: [str(up.outputs, "keyId")] });
      const destroy = await s.destroy();
      assert.equal(destroy.summary.resourceChanges?.delete, 2);
    });
  });

  test("a user holding only the ApmRole creates and destroys its own agent keys (R6, least privilege)", async () => {
    const roleName = unique("apm-writer");
    const user = await createUser(t, unique("apm-user"), "apm-user-password", [roleName]);
    const name = unique("lp-key");
    await withStacks([
      { env: t.providerEnv(), program: async () => ({ role: new ApmRole("writer", { name: roleName }).name }) },
      {
        env: t.providerEnv(user),
        program: async () => ({ keyId: new ApmAgentKey("k", { name, privileges: ["event:write"] }).keyId }),
      },
    ]).run(async ([admin, s]) => {
      await admin.up();
      const up = await s.up();
      const keyId = str(up.outputs, "keyId");
      assert.equal((await keyById(t, keyId))?.username, user.username, "owned by the user");
      await s.destroy();
      assert.equal((await keyById(t, keyId))?.invalidated, true);
      assert.deepEqual(leaked(await s.exportText(), [user.password]), []);
    });
  });

  test(
    "429/503 and commit-then-fail on the create route still end with exactly one live key per resource (R7)",
    { skip: acceptanceMode() ? "emulator only" : false },
    async () => {
      const names = [unique("fault-a"), unique("fault-b"), unique("fault-c")];
      t.emulator!.admin.clearRequests();
      t.emulator!.admin.setFaults(createRouteFaults({ listener: "es", method: "POST", path: "^/_security/api_key$" }));
      await withStack(
        {
          env: t.providerEnv(),
          program: async () =>
            Object.fromEntries(
              names.map((n, i) => [`k${i}`, new ApmAgentKey(`k${i}`, { name: n, privileges: ["event:write"] }).keyId]),
            ),
        },
        faultsCleared(t),
      ).run(async (s) => {
        const up = await s.up();
        assert.equal(up.summary.resourceChanges?.create, 4);
        const statuses = t
          .emulator!.admin.requests()
          .filter((r) => r.method === "POST" && r.path === "/_security/api_key" && r.status !== 200)
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
});
