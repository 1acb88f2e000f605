// ApmRole's lifecycle against the emulator, in-process. Requirement numbers refer to
// provider/resources/apm-role/SPEC.md.
import { describe, expect, it } from "vitest";
import { NAME_INPUT } from "../../provider/framework/lifecycle";
import { apmRoleLifecycle as lc } from "../../provider/resources/apm-role/lifecycle";
import { answeringServer, failure, useEmulator } from "../support/lifecycle-harness";

const h = useEmulator();
/** A role as the server holds it (undefined when there is none). */
const role = (name: string) => h.emu.admin.state().roles.find((r) => r.name === name)?.descriptor;

describe("ApmRole", () => {
  it("a create that finds the role made meanwhile by someone else (created: false) fails instead of taking it over (R5)", async () => {
    // The look before the write sees no role; our write is slow, and another writer creates the role meanwhile, as
    // two stacks racing would.
    h.emu.admin.setFaults([
      { listener: "es", method: "PUT", path: "^/_security/role/raced$", kind: "latency", latencyMs: 600, count: 1 },
    ]);
    h.emu.admin.clearRequests();
    const creating = h.create(lc, h.conn(), { name: "raced" });
    // Once our look has been answered, our (slow) write is on its way: then the other writer goes.
    while (!h.emu.admin.requests().some((r) => r.method === "GET" && r.path === "/_security/role/raced"))
      await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 100));
    expect((await h.es("PUT", "/_security/role/raced", { cluster: ["monitor"] })).status).toBe(200);
    const err = await failure(creating);
    h.emu.admin.clearFaults();
    expect(err.code).toBe("conflict");
    expect(err.message).toMatch(/role "raced" was created by someone else while this stack created it/);
    expect(err.message).toMatch(/should run their `pulumi up` again to restore it/);
  });

  it("with adoptExisting, an existing role is taken over and its content replaced by the resource's (R5)", async () => {
    const foreign = {
      cluster: ["monitor"],
      indices: [{ names: ["logs-*"], privileges: ["read"] }],
      applications: [{ application: "kibana-.kibana", privileges: ["feature_discover.all"], resources: ["*"] }],
    };
    expect((await h.es("PUT", "/_security/role/adopted", foreign)).status).toBe(200);
    const created = await h.create(lc, h.conn(), { name: "adopted", adoptExisting: true });
    expect(created.id).toBe("adopted");
    const read = await lc.read(h.conn(), created.id, { ...created.inputs, ...created.outs });
    expect(read.props).toMatchObject({
      privileges: created.inputs.privileges,
      spaces: created.inputs.spaces,
      cluster: created.inputs.cluster,
    });
    expect(read.props?.unmanaged, "nothing of the old content is left").toBeUndefined();
  });

  it("a rename creates the new role before the old one goes (R4)", async () => {
    const olds = { name: "old-name", privileges: [], spaces: [], cluster: [], metadata: {}, adoptExisting: false };
    expect(await lc.diff("old-name", olds, { ...olds, name: "new-name" })).toEqual({
      changes: true,
      replaces: ["name"],
      deleteBeforeReplace: false,
      changed: ["name"],
    });
  });

  it("renaming onto a name that exists fails before the old role is touched (R4, R5)", async () => {
    const holders = await h.create(lc, h.conn(), { name: "holders-role", cluster: ["monitor"] }, "renamed");
    const holdersBefore = role("holders-role");
    expect((await h.es("PUT", "/_security/role/taken-name", { cluster: [] })).status).toBe(200);
    const takenBefore = role("taken-name");
    expect([holdersBefore, takenBefore]).not.toContain(undefined);
    h.emu.admin.clearRequests();
    const err = await failure(
      h.replace(lc, h.conn(), holders, { name: "taken-name", cluster: ["monitor"] }, "renamed"),
    );
    expect(err.code).toBe("conflict");
    expect(err.message).toMatch(/a role named "taken-name" already exists/);
    const touched = h.emu.admin.requests().filter((r) => r.path === "/_security/role/holders-role");
    expect(
      touched.map((r) => r.method),
      "requests on the old role",
    ).toEqual([]);
    expect(role("holders-role"), "the old role as it was").toEqual(holdersBefore);
    expect(role("taken-name"), "the other role as it was").toEqual(takenBefore);
  });

  it("a role deleted out of band is gone only on Elasticsearch's own 404 (R6)", async () => {
    const created = await h.create(lc, h.conn(), { name: "to-vanish" });
    expect((await h.es("DELETE", "/_security/role/to-vanish")).status).toBe(200);
    expect(await lc.read(h.conn(), created.id, { ...created.outs, [NAME_INPUT]: "r" })).toEqual({});
    const proxy = await answeringServer(404, "{}", { "content-type": "application/json" });
    try {
      const err = await failure(lc.read(h.conn(undefined, { ELASTICSEARCH_ENDPOINTS: proxy.url }), "any", {}));
      expect(err.code).toBe("unexpected_answer");
      await expect(
        lc.delete(h.conn(undefined, { ELASTICSEARCH_ENDPOINTS: proxy.url }), "any", {}),
      ).rejects.toMatchObject({ code: "unexpected_answer" });
    } finally {
      await proxy.close();
    }
  });
});

describe("ApmRole import and names (R8, R9)", () => {
  const apm = { application: "apm", privileges: ["event:write", "config_agent:read"], resources: ["*"] };
  const kibana = { application: "kibana-.kibana", privileges: ["feature_apm.all"], resources: ["space:default"] };

  it("an import of a role holding what an ApmRole cannot declare is refused, naming each part; the role is untouched", async () => {
    const wider = {
      cluster: ["manage_own_api_key"],
      applications: [apm, kibana, { application: "myapp", privileges: ["read"], resources: ["*"] }],
      indices: [{ names: ["logs-*"], privileges: ["read"] }],
      run_as: ["someone"],
      remote_indices: [{ clusters: ["remote"], names: ["logs-*"], privileges: ["read"] }],
    };
    expect((await h.es("PUT", "/_security/role/wider", wider)).status).toBe(200);
    const before = role("wider");
    h.emu.admin.clearRequests();
    const err = await failure(lc.importExisting(h.conn(), "wider"));
    expect(err.code).toBe("invalid_input");
    for (const part of [/index privileges \(`indices`\)/, /`run_as`/, /`remote_indices`/, /other applications/])
      expect(err.message).toMatch(part);
    expect(err.message).toMatch(/move the other privileges to a role of their own/);
    expect(h.emu.admin.requests().map((r) => `${r.method} ${r.path}`)).toEqual(["GET /_security/role/wider"]);
    expect(role("wider")).toEqual(before);
  });

  it("a role an ApmRole can declare still imports", async () => {
    expect(
      (await h.es("PUT", "/_security/role/fits", { cluster: ["manage_own_api_key"], applications: [apm, kibana] }))
        .status,
    ).toBe(200);
    const found = await lc.importExisting(h.conn(), "fits");
    expect(found).toMatchObject({ id: "fits", inputs: { name: "fits", spaces: ["default"] } });
  });

  it('role names "." and ".." are refused at check, and as import ids before any request', async () => {
    for (const name of [".", ".."]) {
      const checked = await lc.check(h.conn(), {}, { name, [NAME_INPUT]: "dots" });
      expect(checked.failures?.map((f) => f.reason)).toEqual([
        expect.stringMatching(/^name: must not be "\." or "\.\.": no URL can address such a role/),
      ]);
      h.emu.admin.clearRequests();
      const err = await failure(lc.importExisting(h.conn(), name));
      expect(err.message).toMatch(/cannot be imported as an ApmRole: the role name must not be "\." or "\.\."/);
      expect(h.emu.admin.requests()).toEqual([]);
    }
  });

  it("a role name holding a slash or dots is one encoded path segment: it reaches that role and no other", async () => {
    for (const name of ["../fits", "./x", "default/a/x"]) {
      h.emu.admin.clearRequests();
      expect(await lc.importExisting(h.conn(), name)).toEqual({}); // no such role: Elasticsearch's own 404
      expect(h.emu.admin.requests().map((r) => `${r.method} ${r.path}`)).toEqual([
        `GET /_security/role/${encodeURIComponent(name)}`,
      ]);
    }
  });
});
