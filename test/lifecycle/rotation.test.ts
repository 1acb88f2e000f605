// Scheduled rotation and the overlap (README, Rotation) against the emulator, in-process, with its clock moved
// forward: the server's clock decides, never this machine's. Requirement numbers refer to each resource's SPEC.md.
import { mkdtempSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { startEmulator } from "../../emulator";
import { Connection } from "../../provider/elastic/connection";
import { MARK_INPUT, NAME_INPUT, type Lifecycle } from "../../provider/framework/lifecycle";
import { replacementOf } from "../../provider/framework/replacements";
import { apmAgentKeyLifecycle as apm } from "../../provider/resources/apm-agent-key/lifecycle";
import { crossClusterApiKeyLifecycle as cck } from "../../provider/resources/cross-cluster-api-key/lifecycle";
import { enrollmentApiKeyLifecycle as fleet } from "../../provider/resources/enrollment-api-key/lifecycle";
import { RETIRED_BY_METADATA } from "../../provider/resources/shared/retiring-keys";
import { useEmulator, type Deployed, agentPolicy } from "../support/lifecycle-harness";
import { inventory, inventoryTable } from "../../cli/inventory";

const h = useEmulator();
const DAY = 86400_000;

/** A connection whose warnings are kept, to read what preview and up say. */
function watched(env: Record<string, string> = {}): { conn: Connection; warnings: string[] } {
  const conn = h.conn(undefined, env);
  const warnings: string[] = [];
  Object.assign(conn, { warn: (m: string) => void warnings.push(m) });
  return { conn, warnings };
}

const diffOf = (lc: Lifecycle, conn: Connection, d: Deployed) =>
  lc.diff(d.id, { ...d.inputs, ...d.outs }, d.inputs, conn);

async function authenticates(encoded: unknown): Promise<number> {
  const res = await fetch(`${h.emu.esUrl}/_security/_authenticate`, {
    headers: { authorization: `ApiKey ${String(encoded)}` },
  });
  return res.status;
}

describe("scheduled rotation", () => {
  it("a key is not replaced before it is due, and is replaced once the server's clock passes rotatesAt (ApmAgentKey R12)", async () => {
    h.emu.admin.reset();
    const { conn, warnings } = watched();
    const key = await h.create(apm, conn, { name: "rot-apm", privileges: ["event:write"], rotateAfter: "10d" });
    expect(Date.parse(String(key.outs.rotatesAt)) - Date.parse(String(key.outs.createdAt))).toBe(10 * DAY);
    expect(await diffOf(apm, conn, key)).toMatchObject({ changes: false, replaces: [] });
    expect(warnings).toEqual([]);
    h.emu.admin.advanceClock(4 * DAY); // within the 7-day horizon: a warning naming the date, still no diff
    expect(await diffOf(apm, conn, key)).toMatchObject({ changes: false, replaces: [] });
    expect(warnings).toEqual([`ApmAgentKey "res": due for rotation at ${String(key.outs.rotatesAt)}`]);
    h.emu.admin.advanceClock(7 * DAY);
    warnings.length = 0;
    const due = await diffOf(apm, conn, key);
    expect(due).toMatchObject({ changes: true, replaces: ["rotateAfter"], deleteBeforeReplace: false });
    expect(warnings[0]).toContain(`rotation due since ${String(key.outs.rotatesAt)}`);
    const next = await h.replace(apm, conn, key, { name: "rot-apm", privileges: ["event:write"], rotateAfter: "10d" });
    expect(next.id).not.toBe(key.id);
    expect(h.liveKeys("rot-apm").map((k) => k.id)).toEqual([next.id]); // no retireAfter: invalidated at once
    expect(await diffOf(apm, conn, next)).toMatchObject({ changes: false });
  });

  it("rotateBeforeExpiry is judged against the key's expiry; the horizon is a setting (CrossClusterApiKey R13)", async () => {
    h.emu.admin.reset();
    const { conn, warnings } = watched({ ELASTIC_KEYS_WARNING_HORIZON: "1d" });
    const access = { search: [{ names: ["logs-*"] }] };
    const key = await h.create(cck, conn, { name: "rot-cc", access, expiration: "30d", rotateBeforeExpiry: "5d" });
    expect(Date.parse(String(key.outs.expiresAt)) - Date.parse(String(key.outs.rotatesAt))).toBe(5 * DAY);
    h.emu.admin.advanceClock(23 * DAY); // 2 days before rotatesAt: outside a 1-day horizon
    expect(await diffOf(cck, conn, key)).toMatchObject({ changes: false });
    expect(warnings).toEqual([]);
    h.emu.admin.advanceClock(2 * DAY + 60_000);
    expect(await diffOf(cck, conn, key)).toMatchObject({ replaces: ["rotateBeforeExpiry"] });
  });

  it("an enrollment key is judged by Kibana's clock and revoked at once on replacement (EnrollmentApiKey R12)", async () => {
    h.emu.admin.reset();
    const { conn } = watched();
    const policyId = await agentPolicy(h, "rot-p");
    const key = await h.create(fleet, conn, { policyId, rotateAfter: "20d" });
    expect(await diffOf(fleet, conn, key)).toMatchObject({ changes: false });
    h.emu.admin.advanceClock(21 * DAY);
    expect(await diffOf(fleet, conn, key)).toMatchObject({ replaces: ["rotateAfter"] });
  });

  it("schedule rules are refused at preview, naming the field and the fix", async () => {
    const { conn } = watched();
    const checked = await apm.check(conn, {}, { name: "x", privileges: ["event:write"], rotateBeforeExpiry: "5d" });
    expect(checked.failures?.map((f) => f.reason)).toEqual([
      "rotateBeforeExpiry: needs expiration: a key without one never expires. Set expiration, or use rotateAfter to rotate a key that never expires",
    ]);
    const piled = await cck.check(
      conn,
      {},
      {
        name: "x",
        access: { search: [{ names: ["a"] }] },
        rotateAfter: "1d",
        retireAfter: "2d",
      },
    );
    expect(piled.failures?.[0].reason).toMatch(/^retireAfter: is not shorter than rotateAfter/);
  });
});

describe("the overlap", () => {
  it("with retireAfter the old key keeps authenticating until the overlap ends, and is found by its successor's mark (ApmAgentKey R13)", async () => {
    h.emu.admin.reset();
    const { conn, warnings } = watched();
    const inputs = { name: "ovl-apm", privileges: ["event:write"], rotateAfter: "10d", retireAfter: "1h" };
    const key = await h.create(apm, conn, inputs);
    h.emu.admin.advanceClock(11 * DAY);
    const next = await h.replace(apm, conn, key, inputs);
    const old = h.keys("ovl-apm").find((k) => k.id === key.id)!;
    expect(old.invalidated).toBe(false);
    expect(old.metadata[RETIRED_BY_METADATA]).toBe(next.inputs[MARK_INPUT]);
    expect(warnings.at(-1)).toBe(
      `ApmAgentKey "res": the old key ${key.id} retires: it keeps working for 1h, then expires`,
    );
    expect(await authenticates(key.outs.encoded)).toBe(200);
    warnings.length = 0;
    await apm.read(conn, next.id, { ...next.inputs, ...next.outs });
    expect(warnings[0]).toContain(`the key it replaced (${key.id}) is retiring`);
    h.emu.admin.advanceClock(2 * 3600_000);
    expect(await authenticates(key.outs.encoded)).toBe(401);
    expect(await authenticates(next.outs.encoded)).toBe(200);
  });

  it("destroy invalidates the retiring key too (CrossClusterApiKey R14)", async () => {
    h.emu.admin.reset();
    const { conn } = watched();
    const inputs = { name: "ovl-cc", access: { search: [{ names: ["a"] }] }, rotationTrigger: "1", retireAfter: "1h" };
    const key = await h.create(cck, conn, inputs);
    const next = await h.replace(cck, conn, key, { ...inputs, rotationTrigger: "2" });
    expect(
      h
        .liveKeys("ovl-cc")
        .map((k) => k.id)
        .sort(),
    ).toEqual([key.id, next.id].sort());
    await cck.delete(conn, next.id, { ...next.inputs, ...next.outs });
    expect(h.liveKeys("ovl-cc")).toEqual([]);
  });

  it("the old key retires as soon as the new key exists: a CLI killed before the old key's delete costs no overlap, and destroy still ends it (ApmAgentKey R13)", async () => {
    h.emu.admin.reset();
    const { conn, warnings } = watched();
    const inputs = { name: "ovl-killed", privileges: ["event:write"], rotationTrigger: "1", retireAfter: "1h" };
    const key = await h.create(apm, conn, inputs);
    const news = { ...inputs, rotationTrigger: "2", [NAME_INPUT]: "res" };
    const checked = await apm.check(conn, key.inputs, news);
    expect((await diffOf(apm, conn, { ...key, inputs: checked.inputs! })).replaces).toEqual(["rotationTrigger"]);
    const fresh = (await apm.check(conn, {}, news)).inputs!;
    const next = { ...(await apm.create(conn, fresh)), inputs: fresh };
    // The process ends here (the CLI is killed): the old key is already retiring for the new one.
    replacementOf(conn, key.id);
    expect(h.keys("ovl-killed").find((k) => k.id === key.id)?.metadata[RETIRED_BY_METADATA]).toBe(fresh[MARK_INPUT]);
    // The next up deletes it as a pending delete, a process that saw no replacement: it is left to expire.
    await apm.delete(conn, key.id, { ...key.inputs, ...key.outs });
    expect(await authenticates(key.outs.encoded)).toBe(200);
    expect(warnings.at(-1)).toBe(
      `ApmAgentKey "res": the old key ${key.id} keeps retiring until it expires: the key that replaced it is live`,
    );
    await apm.delete(conn, next.id, { ...next.inputs, ...next.outs }); // destroy
    expect(h.liveKeys("ovl-killed")).toEqual([]);
  });

  it("a delete that ends no replacement seen by this process (destroy) invalidates at once, overlap or not", async () => {
    h.emu.admin.reset();
    const { conn } = watched();
    const key = await h.create(apm, conn, { name: "ovl-destroy", privileges: ["event:write"], retireAfter: "1h" });
    await apm.delete(conn, key.id, { ...key.inputs, ...key.outs });
    expect(h.liveKeys("ovl-destroy")).toEqual([]);
  });

  it("a key its caller does not own is invalidated at once, and said", async () => {
    h.emu.admin.reset();
    const { conn, warnings } = watched();
    const inputs = { name: "ovl-owner", privileges: ["event:write"], rotationTrigger: "1", retireAfter: "1h" };
    const key = await h.create(apm, conn, inputs);
    // The key was made by someone else: the provider now runs as another superuser.
    await h.es("PUT", "/_security/user/other-admin", { password: "other-admin-pw", roles: ["superuser"] });
    const other = watched();
    Object.assign(other.conn, {});
    const as = h.conn({ username: "other-admin", password: "other-admin-pw" });
    const seen: string[] = [];
    Object.assign(as, { warn: (m: string) => void seen.push(m) });
    const next = await h.replace(apm, as, key, { ...inputs, rotationTrigger: "2" });
    expect(h.liveKeys("ovl-owner").map((k) => k.id)).toEqual([next.id]);
    // Said at preview (the diff), before anything is made, and again when it happens.
    expect(seen[0]).toBe(
      `ApmAgentKey "res": the old key ${key.id} will get no overlap (retireAfter): only its owner (elastic) may change its expiry, and this runs as other-admin; it is invalidated as soon as the new key exists`,
    );
    expect(seen.join("\n")).toContain(`the old key ${key.id} could not be given its overlap (only its owner`);
    expect(warnings).toEqual([]);
  });

  it("an Elasticsearch before 8.13 cannot give the overlap: said at preview (CrossClusterApiKey R14)", async () => {
    const old = await startEmulator({ esVersion: "8.12.2" });
    try {
      const conn = new Connection({
        config: {},
        env: {
          ELASTICSEARCH_ENDPOINTS: old.esUrl,
          ELASTICSEARCH_USERNAME: old.superuser.username,
          ELASTICSEARCH_PASSWORD: old.superuser.password,
          ELASTIC_KEYS_JOURNAL_DIR: mkdtempSync(path.join(os.tmpdir(), "pek-journal-")),
        },
      });
      const seen: string[] = [];
      Object.assign(conn, { warn: (m: string) => void seen.push(m) });
      const inputs = {
        name: "ovl-812",
        access: { search: [{ names: ["a"] }] },
        rotationTrigger: "1",
        retireAfter: "1h",
      };
      const key = await h.create(cck, conn, inputs);
      const checked = await cck.check(conn, key.inputs, { ...key.inputs, rotationTrigger: "2" });
      const diff = await cck.diff(key.id, { ...key.inputs, ...key.outs }, checked.inputs!, conn);
      expect(diff.replaces).toEqual(["rotationTrigger"]);
      expect(seen).toEqual([
        `CrossClusterApiKey "res": the old key ${key.id} will get no overlap (retireAfter): Elasticsearch 8.12.2 cannot change a key's expiry (8.13+); it is invalidated as soon as the new key exists`,
      ]);
      // The same preview on a version that allows it says nothing.
      const { conn: current, warnings } = watched();
      const here = await h.create(cck, current, inputs);
      await cck.diff(here.id, { ...here.inputs, ...here.outs }, { ...here.inputs, rotationTrigger: "2" }, current);
      expect(warnings).toEqual([]);
    } finally {
      await old.stop();
    }
  });

  it("a key replaced for drift is invalidated at once, never retired, whatever its retireAfter (ApmAgentKey R14)", async () => {
    h.emu.admin.reset();
    const { conn, warnings } = watched(); // the key's owner: its overlap could be had
    const inputs = { name: "ovl-drift", privileges: ["event:write"], retireAfter: "1h" };
    const key = await h.create(apm, conn, inputs);
    // Widened out of band; read by a credential that does not own it, so the repair is a replacement.
    expect((await h.es("PUT", `/_security/api_key/${key.id}`, { role_descriptors: {} })).status).toBe(200);
    await h.es("PUT", "/_security/user/drift-admin", { password: "drift-admin-pw", roles: ["superuser"] });
    const read = await apm.read(h.conn({ username: "drift-admin", password: "drift-admin-pw" }), key.id, {
      ...key.inputs,
      ...key.outs,
    });
    expect((read.props?.drift as { repair: string }).repair).toBe("replace");
    const next = await h.replace(apm, conn, { ...key, outs: read.props! }, inputs);
    expect(h.liveKeys("ovl-drift").map((k) => k.id)).toEqual([next.id]);
    expect(h.keys("ovl-drift").find((k) => k.id === key.id)?.metadata[RETIRED_BY_METADATA]).toBeUndefined();
    expect(warnings.join("\n")).not.toMatch(/retires|overlap/);
  });
});

describe("inventory (cli/inventory.ts)", () => {
  it("lists held keys with their dates, retiring keys by their successor, untracked marked keys — and writes nothing", async () => {
    h.emu.admin.reset();
    const { conn } = watched();
    const inputs = { name: "inv-apm", privileges: ["event:write"], rotationTrigger: "1", retireAfter: "1h" };
    const old = await h.create(apm, conn, inputs);
    const held = await h.replace(apm, conn, old, { ...inputs, rotationTrigger: "2", rotateAfter: "10d" });
    const stray = await h.create(apm, conn, { name: "inv-stray", privileges: ["event:write"] }, "stray");
    const exported = {
      deployment: {
        resources: [
          {
            urn: "urn:pulumi:dev::p::elastic:index:ApmAgentKey::res",
            type: "elastic:index:ApmAgentKey",
            id: held.id,
            inputs: held.inputs,
            outputs: { ...held.inputs, ...held.outs },
          },
        ],
      },
    };
    h.emu.admin.clearRequests();
    const rows = await inventory([exported], h.conn());
    expect(rows.map((r) => [r.keyId, r.state])).toEqual([
      [held.id, "live"],
      [old.id, "retiring"],
      [stray.id, "untracked"],
    ]);
    expect(rows[0].rotatesAt).toBe(held.outs.rotatesAt);
    expect(rows[1].expiresAt).toBeDefined();
    const writes = h.emu.admin
      .requests()
      .filter((r) => r.method !== "GET" && !(r.method === "POST" && r.path === "/_security/_query/api_key"));
    expect(writes).toEqual([]);
    expect(inventoryTable(rows).split("\n")[0]).toMatch(/^RESOURCE\s+TYPE\s+KEY\s+STATE\s+EXPIRES\s+ROTATES\s+NOTE$/);
  });
});
