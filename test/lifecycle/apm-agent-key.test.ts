// ApmAgentKey's lifecycle against the emulator, in-process. Requirement numbers refer to
// provider/resources/apm-agent-key/SPEC.md.
import { beforeAll, describe, expect, it } from "vitest";
import { CREATE_MARK_METADATA, UNRESOLVED_PREFIX } from "../../provider/framework/create-and-reconcile";
import { MARK_INPUT, NAME_INPUT } from "../../provider/framework/lifecycle";
import { apmAgentKeyLifecycle as lc } from "../../provider/resources/apm-agent-key/lifecycle";
import { apmRoleLifecycle } from "../../provider/resources/apm-role/lifecycle";
import { answeringServer, failure, unrecorded, useEmulator } from "../support/lifecycle-harness";

const h = useEmulator();
let writer: { username: string; password: string };
let other: { username: string; password: string };
let unique = 0;
const name = (prefix: string) => `${prefix}-${++unique}`;

beforeAll(async () => {
  await h.create(apmRoleLifecycle, h.conn(), { name: "agent-key-writer" });
  writer = await h.user("writer", ["agent-key-writer"]);
  other = await h.user("other-writer", ["agent-key-writer"]);
});

describe("ApmAgentKey create, read, delete", () => {
  it("makes the key Kibana's APM API makes, owned by the caller, with this create's mark (R2, R7)", async () => {
    const n = name("ingest");
    const created = await h.create(lc, h.conn(writer), { name: n, privileges: ["event:write"] });
    const [key] = h.keys(n);
    expect(key.id).toBe(created.id);
    expect(key.owner).toEqual({ username: "writer", realm: "default_native" });
    expect(key.metadata).toEqual({ application: "apm", [CREATE_MARK_METADATA]: created.outs[MARK_INPUT] });
    expect(key.role_descriptors).toEqual({
      apm: expect.objectContaining({
        cluster: [],
        applications: [{ application: "apm", privileges: ["event:write"], resources: ["*"] }],
      }),
    });
    expect(created.outs.owner).toEqual({ username: "writer", realm: "default_native" });
    // Kibana's APM agent key list (metadata.application: apm) shows it.
    const listed = await fetch(`${h.emu.kibanaUrl}/internal/apm/agent_keys`, {
      headers: {
        authorization: `Basic ${Buffer.from(`${writer.username}:${writer.password}`).toString("base64")}`,
        "x-elastic-internal-origin": "kibana",
      },
    });
    const agentKeys = ((await listed.json()) as { agentKeys: { id: string }[] }).agentKeys;
    expect(agentKeys.map((k) => k.id)).toContain(created.id);
    // The encoded key authenticates.
    const me = await fetch(`${h.emu.esUrl}/_security/_authenticate`, {
      headers: { authorization: `ApiKey ${String(created.outs.encoded)}` },
    });
    expect(((await me.json()) as { api_key: { id: string } }).api_key.id).toBe(created.id);

    expect(await lc.read(h.conn(writer), created.id, created.outs)).toMatchObject({ id: created.id });
    await lc.delete(h.conn(writer), created.id, created.outs); // R6: as its owner
    expect(h.keys(n)[0].invalidated).toBe(true);
    expect(await lc.read(h.conn(writer), created.id, created.outs)).toEqual({}); // R5: invalidated ⇒ gone
  });

  it("refuses, before creating anything, a caller without the apm privileges (R2)", async () => {
    const n = name("no-apm");
    const bare = await h.user("bare", ["viewer"]);
    const err = await failure(h.create(lc, h.conn(bare), { name: n, privileges: ["event:write"] }));
    expect(err.code).toBe("forbidden");
    expect(err.message).toMatch(
      /bare is missing apm application privilege event:write and cluster privilege manage_own_api_key/,
    );
    expect(err.message).toMatch(/ApmRole/);
    expect(h.keys(n)).toEqual([]);
  });
});

describe("gone is proven, never assumed (R5, R6)", () => {
  it("a key another user owns is not gone for a credential that cannot see it: refresh fails, state stays", async () => {
    const n = name("admins");
    const created = await h.create(lc, h.conn(), { name: n, privileges: ["event:write"] });
    const err = await failure(lc.read(h.conn(writer), created.id, created.outs));
    expect(err.code).toBe("undecidable");
    expect(err.message).toMatch(/not visible to writer, which may only see its own API keys/);
    expect(err.message).toMatch(/belongs to elastic/);
    expect(err.message).toMatch(/manage_api_key or read_security/);
  });

  it("destroy with a credential that may not invalidate the key fails, and the key stays live", async () => {
    const n = name("admins-del");
    const created = await h.create(lc, h.conn(), { name: n, privileges: ["event:write"] });
    const err = await failure(lc.delete(h.conn(writer), created.id, created.outs));
    expect(err.code).toBe("forbidden");
    expect(err.message).toMatch(
      /was not invalidated: writer may only invalidate its own keys and the key belongs to elastic/,
    );
    expect(h.liveKeys(n).map((k) => k.id)).toEqual([created.id]);
  });

  it("a key its owner cannot find any more is gone (owner-scoped 404 for the very owner)", async () => {
    const outs = { owner: { username: "writer", realm: "default_native" }, name: "x" };
    expect(await lc.read(h.conn(writer), "nonexistentkeyid0001", outs)).toEqual({});
    // Another user's absence proves nothing.
    await expect(lc.read(h.conn(other), "nonexistentkeyid0001", outs)).rejects.toMatchObject({ code: "undecidable" });
  });

  it("a 404 from something that is not Elasticsearch proves nothing: refresh and destroy fail naming the cause", async () => {
    const n = name("proxy");
    const created = await h.create(lc, h.conn(), { name: n, privileges: ["event:write"] });
    const proxy = await answeringServer(404, "<html>not here</html>");
    try {
      const viaProxy = h.conn(undefined, { ELASTICSEARCH_ENDPOINTS: proxy.url });
      // Another URL is another cluster to the record: refused before any request.
      expect((await failure(lc.read(viaProxy, created.id, created.outs))).code).toBe("undecidable");
      const read = await failure(lc.read(viaProxy, created.id, unrecorded(created.outs)));
      expect(read.code).toBe("unexpected_answer");
      expect(read.message).toMatch(/did not come from Elasticsearch \(no X-Elastic-Product header\)/);
      await expect(lc.delete(viaProxy, created.id, unrecorded(created.outs))).rejects.toMatchObject({
        code: "unexpected_answer",
      });
    } finally {
      await proxy.close();
    }
    expect(h.liveKeys(n).map((k) => k.id)).toEqual([created.id]);
  });

  it("Kibana's URL given as Elasticsearch's is named as such", async () => {
    const n = name("swapped");
    const created = await h.create(lc, h.conn(), { name: n, privileges: ["event:write"] });
    const swapped = h.conn(undefined, { ELASTICSEARCH_ENDPOINTS: h.emu.kibanaUrl, KIBANA_ENDPOINT: h.emu.esUrl });
    const err = await failure(lc.read(swapped, created.id, unrecorded(created.outs)));
    expect(err.message).toMatch(/the answer came from Kibana, not Elasticsearch[\s\S]*swapped/);
  });
});

describe("a create whose answer is lost never leaves a key that no state holds (R7)", () => {
  const createRoute = { listener: "es" as const, method: "POST", path: "^/_security/api_key$" };

  it("two stacks creating the same name at once, one answer lost after commit: each keeps its own key, nobody's is touched", async () => {
    const n = name("same-name");
    h.emu.admin.setFaults([{ ...createRoute, kind: "commit-then-fail", status: 503, count: 1 }]);
    try {
      const [a, b] = await Promise.all([
        h.create(lc, h.conn(), { name: n, privileges: ["event:write"] }),
        h.create(lc, h.conn(), { name: n, privileges: ["event:write"] }),
      ]);
      expect(
        h
          .liveKeys(n)
          .map((k) => k.id)
          .sort(),
      ).toEqual([a.id, b.id].sort());
      expect(h.keys(n).filter((k) => k.invalidated)).toHaveLength(1); // the lost one, settled by its own create
    } finally {
      h.emu.admin.clearFaults();
    }
  });

  it("five commit-then-fail answers in a row: the create fails and leaves no live key", async () => {
    const n = name("five-fails");
    h.emu.admin.setFaults([{ ...createRoute, kind: "commit-then-fail", status: 503, count: 5 }]);
    try {
      const err = await failure(h.create(lc, h.conn(), { name: n, privileges: ["event:write"] }));
      expect(err.code).toBe("outcome_unknown");
      expect(err.message).toMatch(/nothing was left behind/);
      expect(err.details.partialState).toBeUndefined();
    } finally {
      h.emu.admin.clearFaults();
    }
    expect(h.keys(n)).toHaveLength(5);
    expect(h.liveKeys(n)).toEqual([]);
  });

  it("an answer later than the create timeout: the create fails keeping its mark in state, and destroy removes the key the server made meanwhile", async () => {
    const n = name("slow");
    const conn = h.conn(undefined, { ELASTIC_KEYS_HTTP_CREATE_TIMEOUT_MS: "300" });
    h.emu.admin.setFaults([{ ...createRoute, kind: "latency", latencyMs: 1200, count: 1 }]);
    let err;
    try {
      err = await failure(h.create(lc, conn, { name: n, privileges: ["event:write"] }));
    } finally {
      h.emu.admin.clearFaults();
    }
    expect(err.code).toBe("outcome_unknown");
    expect(err.details.inFlight).toBe(true);
    const partial = err.details.partialState!;
    expect(partial.id.startsWith(UNRESOLVED_PREFIX)).toBe(true);
    expect(partial.outs).toMatchObject({ name: n, owner: { username: "elastic" } });
    expect(h.keys(n)).toHaveLength(0); // not yet: the server is still working on it
    await new Promise((r) => setTimeout(r, 1500));
    expect(h.liveKeys(n)).toHaveLength(1);
    // Refresh keeps it (something it made is live); destroy (or the next up's replacement) removes it.
    expect(await lc.read(conn, partial.id, partial.outs)).toEqual({ id: partial.id, props: partial.outs });
    await lc.delete(conn, partial.id, partial.outs);
    expect(h.liveKeys(n)).toEqual([]);
    expect(await lc.read(conn, partial.id, partial.outs)).toEqual({});
  });

  it("Elasticsearch unreachable after the create was committed: the mark is kept in state and the key removed later", async () => {
    const n = name("outage");
    h.emu.admin.setFaults([
      { ...createRoute, kind: "commit-then-fail", status: 0, count: 1 },
      // From then on every read that could settle it fails (the connection drops), longer than the retry budget.
      { listener: "es", method: "GET", path: "^/_security/api_key$", kind: "reset", count: 1000 },
    ]);
    let err;
    try {
      err = await failure(h.create(lc, h.conn(), { name: n, privileges: ["event:write"] }));
    } finally {
      h.emu.admin.clearFaults();
    }
    expect(err.details.partialState?.id).toMatch(new RegExp(`^${UNRESOLVED_PREFIX}`));
    expect(err.message).toMatch(/stays in state as a resource that failed to create/);
    expect(h.liveKeys(n)).toHaveLength(1);
    await lc.delete(h.conn(), err.details.partialState!.id, err.details.partialState!.outs);
    expect(h.liveKeys(n)).toEqual([]);
  });
});

describe("an agent key needs a user's credential (R10)", () => {
  it("with an Elasticsearch API key, a create or a replacement is refused at check with Elasticsearch's reason, and nothing is sent", async () => {
    const made = await fetch(`${h.emu.esUrl}/_security/api_key`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${writer.username}:${writer.password}`).toString("base64")}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ name: name("caller-key") }),
    });
    const asKey = h.conn({ apiKey: String(((await made.json()) as { encoded: string }).encoded) });
    h.emu.admin.clearRequests();
    const news = { name: name("by-key"), privileges: ["event:write"], [NAME_INPUT]: "k" };
    const created = await lc.check(asKey, {}, news);
    const reason = created.failures?.[0]?.reason ?? "";
    expect(reason).toMatch(/APM agent keys cannot be created with an Elasticsearch API key/);
    expect(reason).toContain("creating derived api keys requires an explicit role descriptor that is empty");
    expect(reason).toMatch(
      /elastic:elasticsearchUsername.*elastic:elasticsearchPassword.*unset.*ELASTICSEARCH_API_KEY/,
    );
    const olds = { name: "before", privileges: ["event:write"], [NAME_INPUT]: "k" };
    expect((await lc.check(asKey, olds, news)).failures?.[0]?.reason).toBe(reason);
    expect(h.emu.admin.requests()).toEqual([]);
    // A user's credential passes the same check.
    expect((await lc.check(h.conn(writer), {}, news)).failures).toBeUndefined();
  });
});

describe("privileges or metadata changed outside Pulumi are read back and repaired (R14)", () => {
  /** The update API as a user: what someone with the owner's credential can do to a key outside Pulumi. */
  const updateAs = async (user: { username: string; password: string }, id: string, body: unknown) => {
    const res = await fetch(`${h.emu.esUrl}/_security/api_key/${id}`, {
      method: "PUT",
      headers: {
        authorization: `Basic ${Buffer.from(`${user.username}:${user.password}`).toString("base64")}`,
        "content-type": "application/json",
      },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
  };
  const state = (d: { inputs: Record<string, unknown>; outs: Record<string, unknown> }) => ({ ...d.inputs, ...d.outs });

  it("a key widened to its owner's full privileges shows as drift; up restores it through the update API, same key and secret", async () => {
    const n = name("widened");
    const created = await h.create(lc, h.conn(writer), { name: n, privileges: ["event:write"] });
    const before = h.keys(n)[0];
    await updateAs(writer, created.id, { role_descriptors: {} });
    expect(h.keys(n)[0].role_descriptors).toEqual({});

    const read = await lc.read(h.conn(writer), created.id, state(created));
    expect(read.props?.drift).toEqual({
      found: ["its role_descriptors are empty, so it holds all of its owner's privileges"],
      repair: "update",
    });
    const diff = await lc.diff(created.id, read.props!, created.inputs);
    expect(diff).toMatchObject({ changes: true, replaces: [] });

    const updated = await lc.update(h.conn(writer), created.id, read.props!, created.inputs);
    expect(updated.outs.drift).toBeUndefined();
    expect(updated.outs.encoded).toBe(created.outs.encoded);
    const after = h.keys(n);
    expect(after).toHaveLength(1);
    expect(after[0].id).toBe(created.id);
    expect(after[0].role_descriptors).toEqual(before.role_descriptors);
    expect(after[0].metadata).toEqual(before.metadata);
    const again = await lc.read(h.conn(writer), created.id, { ...read.props!, ...updated.outs });
    expect(again.props?.drift).toBeUndefined();
    expect(await lc.diff(created.id, again.props!, created.inputs)).toMatchObject({ changes: false });
  });

  it("metadata changed outside Pulumi (the mark and Kibana's application gone) is drift too", async () => {
    const n = name("remarked");
    const created = await h.create(lc, h.conn(writer), { name: n, privileges: ["event:write"] });
    await updateAs(writer, created.id, { metadata: { owner: "someone" } });
    const read = await lc.read(h.conn(writer), created.id, state(created));
    expect((read.props?.drift as { found: string[] }).found).toEqual([
      expect.stringMatching(
        /^its metadata is \{"owner":"someone"\}, not \{"application":"apm","pulumi_elastic_keys_create":/,
      ),
    ]);
    await lc.update(h.conn(writer), created.id, read.props!, created.inputs);
    expect(h.keys(n)[0].metadata).toEqual({ application: "apm", [CREATE_MARK_METADATA]: created.outs[MARK_INPUT] });
  });

  it("a credential that does not own the widened key replaces it instead: new key first, the widened one invalidated", async () => {
    const n = name("not-mine");
    const created = await h.create(lc, h.conn(writer), { name: n, privileges: ["event:write"] });
    await updateAs(writer, created.id, {
      role_descriptors: { all: { cluster: ["all"], indices: [{ names: ["*"], privileges: ["all"] }] } },
    });
    const read = await lc.read(h.conn(), created.id, state(created)); // the superuser: sees it, does not own it
    const drift = read.props?.drift as { found: string[]; repair: string };
    expect(drift.repair).toBe("replace");
    expect(drift.found[0]).toMatch(
      /^its role_descriptors grant .*"cluster":\["all"\].*, not the apm privileges event:write alone$/,
    );
    const diff = await lc.diff(created.id, read.props!, created.inputs);
    expect(diff).toMatchObject({ changes: true, replaces: ["__drift"], deleteBeforeReplace: false });
    // An update attempted anyway (the credential changed between refresh and up) refuses, touching nothing.
    const refused = await failure(lc.update(h.conn(), created.id, read.props!, created.inputs));
    expect(refused.code).toBe("undecidable");
    expect(refused.message).toMatch(/only its owner \(writer\) may update it/);
    const replaced = await h.replace(
      lc,
      h.conn(writer),
      { ...created, outs: read.props! },
      { name: n, privileges: ["event:write"] },
    );
    expect(replaced.id).not.toBe(created.id);
    expect(h.liveKeys(n).map((k) => k.id)).toEqual([replaced.id]);
    expect(h.liveKeys(n)[0].role_descriptors).toEqual({
      apm: expect.objectContaining({
        applications: [{ application: "apm", privileges: ["event:write"], resources: ["*"] }],
      }),
    });
  });
});
