// Creates whose outcome never reached the engine, in-process against the emulator: a provider process that died
// mid-create (the create journal), a role create whose answer was lost (its mark in the role's metadata), and a
// create still in flight (kept in state until what it made shows up). README, Troubleshooting.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { Connection } from "../../provider/elastic/connection";
import { CREATE_MARK_METADATA, UNRESOLVED_PREFIX } from "../../provider/framework/create-and-reconcile";
import { entries, journalDir, recordCreate } from "../../provider/framework/create-journal";
import { MARK_INPUT, NAME_INPUT } from "../../provider/framework/lifecycle";
import { apmAgentKeyLifecycle as agentKeys } from "../../provider/resources/apm-agent-key/lifecycle";
import { apmRoleLifecycle as roles } from "../../provider/resources/apm-role/lifecycle";
import { failure, useEmulator } from "../support/lifecycle-harness";

const h = useEmulator();
/** A role's metadata as Elasticsearch stores it (undefined when there is no such role). */
const roleMetadata = (n: string) => h.emu.admin.state().roles.find((r) => r.name === n)?.descriptor.metadata;
let unique = 0;
const name = (prefix: string) => `${prefix}-${++unique}`;

/** A connection whose warnings the test reads. */
function watched(env: Record<string, string> = {}): { conn: Connection; warnings: string[] } {
  const warnings: string[] = [];
  const base = h.conn(undefined, env);
  return { conn: new Connection(base.source, { warn: (m) => void warnings.push(m) }), warnings };
}

/** Rewrites every journal entry as written by a process that has ended (what a kill -9 leaves). */
function writerDied(dir: string): void {
  const ended = Number(
    spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout,
  );
  for (const { file, entry } of entries(dir))
    writeFileSync(file, JSON.stringify({ ...entry, writer: { ...entry.writer, pid: ended, started: "1" } }));
}

describe("a provider process that died in the middle of a create (the create journal)", () => {
  it("the next operation of the same type in a new process removes what the create made; nothing else", async () => {
    const { conn, warnings } = watched();
    const dir = journalDir(conn.source.env);
    const n = name("orphan");
    // What the dead process had sent: a key with its mark, and its journal entry, never removed.
    const mark = "mark-of-the-dead-create";
    recordCreate(dir, {
      mark,
      type: "ApmAgentKey",
      label: `ApmAgentKey "orphan"`,
      outs: { name: n, privileges: ["event:write"], [MARK_INPUT]: mark },
      urls: [h.emu.esUrl],
    });
    const made = await h.es("POST", "/_security/api_key", { name: n, metadata: { [CREATE_MARK_METADATA]: mark } });
    // Someone else's key of the same name, and a key with another mark: never touched.
    await h.es("POST", "/_security/api_key", { name: n, metadata: { team: "x" } });
    await h.es("POST", "/_security/api_key", { name: n, metadata: { [CREATE_MARK_METADATA]: "another-create" } });

    // While its writer lives, the entry is left alone.
    const other = watched();
    await h.create(agentKeys, other.conn, { name: name("bystander"), privileges: ["event:write"] });
    expect(h.liveKeys(n)).toHaveLength(3);

    writerDied(dir);
    const fresh = await h.create(agentKeys, conn, { name: name("next"), privileges: ["event:write"] });
    expect(fresh.id).toBeTruthy();
    const { id } = made.body as { id: string };
    expect(h.liveKeys(n).map((k) => k.id)).not.toContain(id);
    expect(h.liveKeys(n)).toHaveLength(2);
    expect(entries(dir)).toEqual([]);
    expect(warnings).toEqual([
      `ApmAgentKey "orphan": a create whose provider process ended before its outcome was recorded (mark ${mark}) had made ${id}, which no state holds: removed`,
    ]);
  });

  it("an entry for another cluster, or one that cannot be settled now, stays for later", async () => {
    const { conn } = watched();
    const dir = journalDir(conn.source.env);
    recordCreate(dir, {
      mark: "elsewhere",
      type: "ApmRole",
      label: `ApmRole "x"`,
      outs: { name: "x", [MARK_INPUT]: "elsewhere" },
      urls: ["http://127.0.0.1:1"],
    });
    writerDied(dir);
    await h.create(roles, conn, { name: name("here") });
    expect(entries(dir).map((e) => e.entry.mark)).toEqual(["elsewhere"]);
    const files = readdirSync(dir);
    expect(files.some((f) => f.includes("settling"))).toBe(false);
    for (const f of files) expect(JSON.parse(readFileSync(path.join(dir, f), "utf8")).mark).toBe("elsewhere");
  });
});

describe("ApmRole creates are settled by their mark (R10)", () => {
  const putRoute = (n: string) => ({ listener: "es" as const, method: "PUT", path: `^/_security/role/${n}$` });

  it("a 503 after the role was written: the mark proves it is this create's, nothing is written twice", async () => {
    const n = name("lost-answer");
    h.emu.admin.setFaults([{ ...putRoute(n), kind: "commit-then-fail", status: 503, count: 1 }]);
    h.emu.admin.clearRequests();
    try {
      const created = await h.create(roles, h.conn(), { name: n, metadata: { team: "a" } });
      expect(created.id).toBe(n);
      const puts = h.emu.admin.requests().filter((r) => r.method === "PUT" && r.path === `/_security/role/${n}`);
      expect(puts).toHaveLength(1);
      expect(roleMetadata(n)).toEqual({ team: "a", [CREATE_MARK_METADATA]: created.inputs[MARK_INPUT] });
      // The mark is never shown or diffed.
      const read = await roles.read(h.conn(), n, { ...created.inputs, ...created.outs });
      expect(read.props?.metadata).toEqual({ team: "a" });
    } finally {
      h.emu.admin.clearFaults();
    }
  });

  it("a role of the same name without this create's mark is someone else's: the create fails (R5)", async () => {
    const n = name("theirs");
    // The write is slow and then fails before it lands; meanwhile someone else creates the role.
    h.emu.admin.setFaults([
      { ...putRoute(n), kind: "latency", latencyMs: 1500, count: 1 },
      { ...putRoute(n), kind: "status", status: 503, count: 1 },
    ]);
    h.emu.admin.clearRequests();
    try {
      const creating = h.create(roles, h.conn(), { name: n });
      while (!h.emu.admin.requests().some((r) => r.method === "GET" && r.path === `/_security/role/${n}`))
        await new Promise((r) => setTimeout(r, 5));
      // Our write follows its look at once and is held for 1.5 s: the other writer goes in between.
      await new Promise((r) => setTimeout(r, 500));
      await h.es("PUT", `/_security/role/${n}`, { cluster: ["monitor"], metadata: { owner: "someone" } });
      const err = await failure(creating);
      expect(err.code).toBe("conflict");
    } finally {
      h.emu.admin.clearFaults();
    }
    expect(roleMetadata(n)).toEqual({ owner: "someone" });
  });

  it("a role left by a create that cannot be settled stays in state; destroy deletes it, as its mark proves", async () => {
    const n = name("unsettled");
    const conn = h.conn(undefined, { ELASTIC_KEYS_HTTP_BUDGET_MS: "300" });
    h.emu.admin.setFaults([
      { ...putRoute(n), kind: "commit-then-fail", status: 0, count: 1 },
      { listener: "es", method: "GET", path: `^/_security/role/${n}$`, kind: "reset", count: 10_000 },
    ]);
    let err;
    try {
      // Adopting: no look before the write, so only the write and what follows it meet the faults.
      const checked = await roles.check(conn, {}, { name: n, adoptExisting: true, [NAME_INPUT]: "role" });
      err = await failure(roles.create(conn, checked.inputs!));
    } finally {
      h.emu.admin.clearFaults();
    }
    const partial = err.details.partialState!;
    expect(partial, err.message).toBeDefined();
    expect(partial.id.startsWith(UNRESOLVED_PREFIX)).toBe(true);
    expect(await roles.read(conn, partial.id, partial.outs)).toEqual({ id: partial.id, props: partial.outs });
    await roles.delete(conn, partial.id, partial.outs);
    expect(h.emu.admin.state().roles.some((r) => r.name === n)).toBe(false);
  });
});

describe("a create still in flight stays in state until what it made shows up (22.5)", () => {
  it("refresh keeps it while nothing is there yet; destroy refuses to guess; once the key lands it is settled", async () => {
    const n = name("in-flight");
    const { conn, warnings } = watched({ ELASTIC_KEYS_HTTP_CREATE_TIMEOUT_MS: "300" });
    h.emu.admin.setFaults([
      { listener: "es", method: "POST", path: "^/_security/api_key$", kind: "latency", latencyMs: 1500, count: 1 },
    ]);
    let err;
    try {
      err = await failure(h.create(agentKeys, conn, { name: n, privileges: ["event:write"] }));
    } finally {
      h.emu.admin.clearFaults();
    }
    const partial = err.details.partialState!;
    expect(h.keys(n)).toHaveLength(0);
    // Nothing found yet proves nothing: kept, and the user is told.
    expect(await agentKeys.read(conn, partial.id, partial.outs)).toEqual({ id: partial.id, props: partial.outs });
    expect(warnings.join("\n")).toMatch(/has not shown what it made yet .*it stays in state until it does/);
    const refused = await failure(agentKeys.delete(conn, partial.id, partial.outs));
    expect(refused.code).toBe("undecidable");
    expect(refused.message).toMatch(/pulumi state delete/);
    await new Promise((r) => setTimeout(r, 1500));
    expect(h.liveKeys(n)).toHaveLength(1);
    await agentKeys.delete(conn, partial.id, partial.outs);
    expect(h.liveKeys(n)).toEqual([]);
    // It landed and is gone now: its outcome is proven, so refresh drops it.
    expect(await agentKeys.read(conn, partial.id, partial.outs)).toEqual({});
  });
});
