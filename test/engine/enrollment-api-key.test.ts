// EnrollmentApiKey on the real engine against the emulator (or a real stack in acceptance mode).
// Requirement numbers refer to provider/resources/enrollment-api-key/SPEC.md, section codes to
// docs/elastic-api.md.
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { EnrollmentApiKey, type EnrollmentApiKeyArgs } from "../../sdk";
import {
  assertCreatedBeforeRetired,
  assertNothingWritten,
  authenticatesAs,
  keyById,
  leaked,
  createAgentPolicy,
} from "../support/elastic-checks";
import { str } from "../support/outputs";
import { assertProviderText } from "../support/provider-text";
import { createRouteFaults } from "../support/faults";
import { createTestStack, type TestStack } from "../../scripts/lib/stack";
import { faultsCleared, withStack } from "../support/engine";
import { acceptanceMode, sameAtEveryVersion, useTarget, unique } from "../support/target";

const t = useTarget({ before, after });

interface FleetKey {
  id: string;
  api_key_id: string;
  api_key: string;
  name: string;
  active: boolean;
  policy_id: string;
}

const createPolicy = (name = unique("policy")): Promise<string> => createAgentPolicy(t, name);

async function fleetKey(id: string): Promise<FleetKey> {
  const r = await t.kibana("GET", `/api/fleet/enrollment_api_keys/${id}`);
  assert.equal(r.status, 200, `reading enrollment key ${id}: ${JSON.stringify(r.body)}`);
  return (r.body as { item: FleetKey }).item;
}

/** Every key of a policy, through every page of Fleet's list (B.3). */
async function policyKeys(policyId: string): Promise<FleetKey[]> {
  const all: FleetKey[] = [];
  for (let page = 1; ; page++) {
    const q = new URLSearchParams({ page: String(page), perPage: "100", kuery: `policy_id:"${policyId}"` });
    const r = await t.kibana("GET", `/api/fleet/enrollment_api_keys?${q}`);
    assert.equal(r.status, 200, `listing enrollment keys: ${JSON.stringify(r.body)}`);
    const body = r.body as { items: FleetKey[]; total: number };
    all.push(...body.items);
    if (body.items.length === 0 || all.length >= body.total) return all;
  }
}

/** The enrollment token is the ES `encoded` form of its key: does it authenticate, and as which key? */
const tokenAuthenticatesAs = (token: string) => authenticatesAs(t, token);

async function revokeByHand(keyId: string): Promise<void> {
  assert.equal((await t.kibana("DELETE", `/api/fleet/enrollment_api_keys/${keyId}`)).status, 200);
}

/** B.5: revoked is soft — Fleet keeps the document with active: false, and the ES key is invalidated. */
async function assertRevoked(keyId: string, apiKeyId: string): Promise<void> {
  assert.equal((await fleetKey(keyId)).active, false, `Fleet key ${keyId} revoked`);
  assert.equal((await keyById(t, apiKeyId))?.invalidated, true, `ES key ${apiKeyId} invalidated`);
}

async function urnOf(s: TestStack, logicalName: string): Promise<string> {
  const resources = JSON.parse(await s.exportText()).resources as { urn: string; type: string }[];
  return resources.find((r) => r.type.endsWith(":EnrollmentApiKey") && r.urn.endsWith(`::${logicalName}`))!.urn;
}

describe("EnrollmentApiKey", () => {
  test("create, enroll token works, no-op, rotate with a new generated name, refresh a revoked key, destroy — secret encrypted", async (ctx) => {
    const policyId = await createPolicy();
    let rotationTrigger = "2026-11";
    await withStack({
      env: t.providerEnv(),
      program: async () => {
        const key = new EnrollmentApiKey("agents", { policyId, rotationTrigger });
        return {
          keyId: key.keyId,
          apiKeyId: key.apiKeyId,
          apiKey: key.apiKey,
          name: key.name,
          fleetName: key.fleetName,
          active: key.active,
        };
      },
    }).run(async (s) => {
      // R2, R3: one key named after the logical name plus a suffix; the token is a secret and authenticates.
      const up = await s.up();
      assert.deepEqual(up.summary.resourceChanges, { create: 2 });
      const keyId = str(up.outputs, "keyId");
      const apiKeyId = str(up.outputs, "apiKeyId");
      const token = str(up.outputs, "apiKey");
      const name = str(up.outputs, "name");
      assert.match(name, /^agents-[0-9a-f]{8}$/);
      assert.equal(str(up.outputs, "fleetName"), `${name} (${keyId})`);
      assert.equal(up.outputs.active.value, true);
      assert.equal(up.outputs.apiKey.secret, true);
      assert.equal((await fleetKey(keyId)).name, `${name} (${keyId})`);
      assert.equal(await tokenAuthenticatesAs(token), apiKeyId);

      // Nothing in plaintext: the token and the credential are not in the export or the log.
      const exported = await s.exportText();
      assert.deepEqual(leaked(exported, [token, t.superuser.password]), []);
      assert.deepEqual(leaked(s.log(), [token, t.superuser.password]), []);
      const stored = (
        JSON.parse(exported).resources as {
          type: string;
          inputs: Record<string, unknown>;
          outputs: Record<string, unknown>;
        }[]
      ).find((r) => r.type.endsWith(":EnrollmentApiKey"))!;
      assert.match(JSON.stringify(stored.outputs.apiKey), /ciphertext/, "stored encrypted");
      assertProviderText(String(stored.inputs.__provider), [t.superuser.password]);

      // R3: the generated name is kept: a second up and a refresh of a clean stack change nothing.
      assert.deepEqual((await s.up()).summary.resourceChanges, { same: 2 });
      assert.deepEqual((await s.refresh()).summary.resourceChanges, { same: 2 });

      // R3, R5: a replacement gets a new suffix (the engine re-checks without the old inputs), new key first.
      rotationTrigger = "2026-12";
      assert.equal((await s.preview()).changeSummary.replace, 1);
      const rotated = await s.up();
      const rotatedId = str(rotated.outputs, "keyId");
      const rotatedName = str(rotated.outputs, "name");
      assert.notEqual(rotatedId, keyId);
      assert.match(rotatedName, /^agents-[0-9a-f]{8}$/);
      assert.notEqual(rotatedName, name, "a replacement never reuses the name Fleet still holds");
      await assertRevoked(keyId, apiKeyId);
      await assertCreatedBeforeRetired(ctx, t, [{ key: "enrollment key", oldId: keyId, newId: rotatedId }]);
      assert.equal(await tokenAuthenticatesAs(token), undefined, "the old token no longer works");
      assert.equal(await tokenAuthenticatesAs(str(rotated.outputs, "apiKey")), str(rotated.outputs, "apiKeyId"));

      // R6: revoked out of band ⇒ refresh drops it; the next up creates a new key.
      await revokeByHand(rotatedId);
      assert.equal((await s.refresh()).summary.resourceChanges?.delete, 1);
      const repaired = await s.up();
      assert.equal(repaired.summary.resourceChanges?.create, 1);
      const repairedId = str(repaired.outputs, "keyId");
      assert.equal((await fleetKey(repairedId)).active, true);

      // R3: a targeted replace (`pulumi up --replace <urn>`) gets a new name too: the engine checks it without the
      // old inputs as well.
      const forced = await s.stack.up({ replace: [await urnOf(s, "agents")], onOutput: () => {} });
      assert.equal(forced.summary.resourceChanges?.replace, 1);
      assert.notEqual(str(forced.outputs, "name"), str(repaired.outputs, "name"));
      const forcedId = str(forced.outputs, "keyId");

      // R8: destroy revokes (soft) — what the real Fleet leaves behind.
      await s.destroy();
      await assertRevoked(forcedId, str(forced.outputs, "apiKeyId"));
      const mine = (await policyKeys(policyId)).filter((k) => /^agents-[0-9a-f]{8} \(/.test(k.name));
      assert.equal(mine.length, 4);
      assert.ok(
        mine.every((k) => !k.active),
        "every key this stack made is revoked",
      );
      if (t.emulator) {
        const state = t.emulator.admin.state();
        const esKeys = state.apiKeys.filter((k) => mine.some((m) => m.api_key_id === k.id));
        assert.equal(esKeys.length, 4);
        assert.ok(
          esKeys.every((k) => k.invalidated && k.owner.username === "kibana_system"),
          "B: Fleet owns the ES keys",
        );
      }
    });
  });

  test(
    "an explicit name blocks a same-name replacement at preview; renaming rotates; destroy succeeds after a manual revoke (R4, R8)",
    sameAtEveryVersion,
    async (ctx) => {
      const policyId = await createPolicy();
      let args: EnrollmentApiKeyArgs = { policyId, name: unique("edge") };
      await withStack({
        env: t.providerEnv(),
        program: async () => {
          const key = new EnrollmentApiKey("edge", args);
          return { keyId: key.keyId, name: key.name, fleetName: key.fleetName };
        },
      }).run(async (s) => {
        const up = await s.up();
        const keyId = str(up.outputs, "keyId");
        assert.equal(str(up.outputs, "fleetName"), `${args.name as string} (${keyId})`);

        args = { ...args, rotationTrigger: "2027" };
        t.emulator?.admin.clearRequests();
        await assert.rejects(s.preview(), (e: Error) => {
          assert.match(e.message, /EnrollmentApiKey resource 'edge'/);
          assert.match(e.message, /Fleet keeps revoked keys and refuses a name already used on the policy/);
          assert.match(e.message, /namePrefix/);
          return true;
        });
        await assertNothingWritten(ctx, t, "the refused preview wrote nothing");

        // Renaming in the same change is a valid replacement.
        args = { ...args, name: unique("edge-2") };
        const renamed = await s.up();
        assert.equal(renamed.summary.resourceChanges?.replace, 1);
        const renamedId = str(renamed.outputs, "keyId");
        assert.equal((await fleetKey(keyId)).active, false);

        // A targeted replace skips the transition check (the engine passes no old inputs), but the check before a
        // create asks Fleet whether the name is still free (R10): refused before anything is written.
        t.emulator?.admin.clearRequests();
        await assert.rejects(
          s.stack.up({ replace: [await urnOf(s, "edge")], onOutput: () => {} }),
          /the enrollment key name "[^"]+" is spent on agent policy "[^"]+": an active enrollment key \(id [0-9a-f-]+\) already has it/,
        );
        await assertNothingWritten(ctx, t, "the refused targeted replace wrote nothing");
        assert.equal((await fleetKey(renamedId)).active, true, "the old key is untouched");

        await revokeByHand(renamedId);
        assert.equal((await s.destroy()).summary.resourceChanges?.delete, 2);
        assert.equal((await fleetKey(renamedId)).active, false);
      });
    },
  );

  test(
    "a key in a Kibana space is created, read and revoked through that space; an ES key invalidated behind Fleet's back is replaced and revoked in Fleet (R6)",
    sameAtEveryVersion,
    async () => {
      const spaceId = unique("ops").replace(/[^a-z0-9_-]/g, "");
      assert.equal((await t.kibana("POST", "/api/spaces/space", { id: spaceId, name: spaceId })).status, 200);
      const r = await t.kibana("POST", `/s/${spaceId}/api/fleet/agent_policies`, {
        name: unique("sp"),
        namespace: "default",
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const policyId = (r.body as { item: { id: string } }).item.id;
      await withStack({
        env: t.providerEnv(),
        program: async () => {
          const key = new EnrollmentApiKey("spaced", { policyId, spaceId });
          return { keyId: key.keyId, apiKeyId: key.apiKeyId };
        },
      }).run(async (s) => {
        const inSpace = async (keyId: string) =>
          ((await t.kibana("GET", `/s/${spaceId}/api/fleet/enrollment_api_keys/${keyId}`)).body as { item: FleetKey })
            .item;
        const up = await s.up();
        assert.equal((await inSpace(str(up.outputs, "keyId"))).active, true);
        assert.deepEqual((await s.refresh()).summary.resourceChanges, { same: 2 });

        // Fleet still says active, but the token's ES key is dead: refresh keeps it and says so (dropped, Fleet would
        // list it active for ever); the next up replaces it, revoking the dead one in Fleet.
        const deadId = str(up.outputs, "keyId");
        const apiKeyId = str(up.outputs, "apiKeyId");
        assert.equal((await t.es("DELETE", "/_security/api_key", { ids: [apiKeyId] })).status, 200);
        assert.equal((await inSpace(deadId)).active, true);
        const refreshed = await s.refresh();
        assert.equal(refreshed.summary.resourceChanges?.delete, undefined, "kept in state");
        assert.match(refreshed.stdout, /no longer enrolls agents/);
        await assert.rejects(s.stack.preview({ expectNoChanges: true }), /no-changes|expect-no-changes|changes/i);
        const repaired = await s.up();
        assert.equal(repaired.summary.resourceChanges?.replace, 1);
        const keyId = str(repaired.outputs, "keyId");
        assert.notEqual(keyId, deadId);
        assert.equal((await inSpace(deadId)).active, false, "the dead token is revoked in Fleet");

        await s.destroy();
        assert.equal((await inSpace(keyId)).active, false);
      });
    },
  );

  test("a key of a managed agent policy (a hidden enrollment key: `hidden`, a list filter from Kibana 9.1) is created, refreshed and revoked like any other", async () => {
    const made = await t.kibana("POST", "/api/fleet/agent_policies", {
      name: unique("managed"),
      namespace: "default",
      is_managed: true,
    });
    assert.equal(made.status, 200, JSON.stringify(made.body));
    const policyId = (made.body as { item: { id: string } }).item.id;
    await withStack({
      env: t.providerEnv(),
      program: async () => {
        const key = new EnrollmentApiKey("managed", { policyId });
        return { keyId: key.keyId, apiKeyId: key.apiKeyId };
      },
    }).run(async (s) => {
      const up = await s.up();
      const keyId = str(up.outputs, "keyId");
      assert.equal(((await fleetKey(keyId)) as FleetKey & { hidden?: boolean }).hidden, true, "Fleet hides it");
      // From 9.1 Fleet's list can filter on `hidden`; before, the kuery names a field Fleet does not map.
      const q = new URLSearchParams({ kuery: `policy_id:"${policyId}" and hidden:true` });
      const listed = await t.kibana("GET", `/api/fleet/enrollment_api_keys?${q}`);
      // The policy's own default key is hidden too.
      if (t.atLeast(9, 1))
        assert.ok(
          (listed.body as { items: FleetKey[] }).items.some((k) => k.id === keyId),
          "listed as hidden",
        );
      else assert.equal(listed.status, 400);
      assert.equal((await s.refresh()).summary.resourceChanges?.same, 2, "refresh finds it");
      await s.destroy();
      await assertRevoked(keyId, str(up.outputs, "apiKeyId"));
    });
  });

  describe("errors at up (R9, R10)", () => {
    async function upFails(args: EnrollmentApiKeyArgs, expected: RegExp[]): Promise<void> {
      await withStack({
        env: t.providerEnv(),
        program: async () => void new EnrollmentApiKey("key", args),
      }).run(async (s) => {
        await assert.rejects(s.up(), (e: Error) => {
          for (const re of expected) assert.match(e.message, re);
          return true;
        });
      });
    }

    test("an unknown policy names the policy id (Fleet answers 404 from Kibana 8.15, 400 before)", () =>
      upFails({ policyId: "no-such-policy" }, [
        /EnrollmentApiKey "key": agent policy "no-such-policy" does not exist in Kibana space "default"/,
        t.atLeast(8, 15) ? /HTTP 404/ : /HTTP 400/,
        /Agent policy \\?"no-such-policy\\?" not found/,
        /fix: create the agent policy first/,
      ]));

    test("an agent policy in a Kibana space that does not exist names the space (R9)", () =>
      upFails({ policyId: "some-policy", spaceId: "no-such-space" }, [
        /Kibana space "no-such-space" does not exist/,
        /fix: create the space first, or correct spaceId/,
      ]));

    test("a name a revoked key of the policy had is refused before anything is written, saying the name is spent (R10)", async (ctx) => {
      const policyId = await createPolicy();
      const name = unique("taken");
      const made = await t.kibana("POST", "/api/fleet/enrollment_api_keys", { policy_id: policyId, name });
      assert.equal(made.status, 200);
      const revokedId = (made.body as { item: FleetKey }).item.id;
      await revokeByHand(revokedId);
      t.emulator?.admin.clearRequests();
      await upFails({ policyId, name }, [
        new RegExp(`has a problem: the enrollment key name "${name}" is spent on agent policy "${policyId}"`),
        new RegExp(
          `a revoked enrollment key \\(id ${revokedId}\\) had it, and Fleet keeps revoked keys and never frees their names`,
        ),
        /remove `name` \(or set `namePrefix`\)/,
      ]);
      await assertNothingWritten(ctx, t);
    });
  });

  test(
    "429/503 and commit-then-fail on the create route still end with exactly one active key per resource (R7)",
    { skip: acceptanceMode() ? "emulator only" : false },
    async () => {
      const policyId = await createPolicy();
      const prefixes = [unique("f-a"), unique("f-b"), unique("f-c")];
      const route = { listener: "kibana" as const, method: "POST", path: "^/api/fleet/enrollment_api_keys$" };
      t.emulator!.admin.clearRequests();
      t.emulator!.admin.setFaults(createRouteFaults(route));
      await withStack(
        {
          env: t.providerEnv(),
          program: async () =>
            Object.fromEntries(
              prefixes.map((namePrefix, i) => [`k${i}`, new EnrollmentApiKey(`k${i}`, { policyId, namePrefix }).keyId]),
            ),
        },
        faultsCleared(t),
      ).run(async (s) => {
        const up = await s.up();
        assert.equal(up.summary.resourceChanges?.create, 4);
        const statuses = t
          .emulator!.admin.requests()
          .filter((r) => r.method === "POST" && r.path === "/api/fleet/enrollment_api_keys")
          .map((r) => r.status)
          .sort();
        assert.deepEqual(
          statuses.filter((st) => st !== 200),
          [0, 429, 429, 503, 503],
          "every fault fired",
        );
        const keys = await policyKeys(policyId);
        for (const [i, prefix] of prefixes.entries()) {
          const active = keys.filter((k) => k.active && k.name.startsWith(`${prefix}-`));
          assert.deepEqual(
            active.map((k) => k.id),
            [str(up.outputs, `k${i}`)],
            `exactly one active key for ${prefix}`,
          );
        }
        t.emulator!.admin.clearFaults();
        await s.destroy();
        assert.deepEqual(
          (await policyKeys(policyId)).filter((k) => k.active && k.name !== `Default (${k.id})`),
          [],
        );
      });
    },
  );

  describe("validation at preview, before any write (R1, R9)", sameAtEveryVersion, () => {
    let v: TestStack;
    let args: Record<string, unknown> = {};
    before(async () => {
      v = await createTestStack({
        env: t.providerEnv(),
        program: async () => void new EnrollmentApiKey("bad", { policyId: "p", ...args } as never),
      });
    });
    after(async () => {
      await v.cleanup();
    });

    const cases: [string, Record<string, unknown>, RegExp][] = [
      ["an empty policyId", { policyId: "" }, /policyId: must not be empty/],
      ["both name and namePrefix", { name: "a", namePrefix: "b" }, /name and namePrefix cannot both be set/],
      ["a name starting with _", { name: "_a" }, /name: must not begin with an underscore/],
      ["a whitespace-padded name", { name: "a " }, /name: must not begin or end with whitespace/],
      ["a name over 217 characters", { name: "n".repeat(218) }, /name: is longer than the 217 characters/],
      ["a bad space id", { spaceId: "Ops Team" }, /spaceId: must be a Kibana space id/],
    ];
    for (const [what, bad, reason] of cases)
      test(`${what} fails at preview`, async (ctx) => {
        args = bad;
        t.emulator?.admin.clearRequests();
        await assert.rejects(v.preview(), (e: Error) => {
          assert.match(e.message, /EnrollmentApiKey resource 'bad'/);
          assert.match(e.message, reason);
          return true;
        });
        await assertNothingWritten(ctx, t);
      });
  });
});
