// ApmRole's lifecycle against the emulator, in-process. Requirement numbers refer to
// provider/resources/apm-role/SPEC.md.
import { describe, expect, it } from "vitest";
import { NAME_INPUT } from "../../provider/framework/lifecycle";
import { apmRoleLifecycle as lc } from "../../provider/resources/apm-role/lifecycle";
import { answeringServer, failure, useEmulator } from "./harness";

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
