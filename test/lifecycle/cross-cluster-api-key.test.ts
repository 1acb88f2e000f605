// CrossClusterApiKey's lifecycle against the emulator, in-process. Requirement numbers refer to
// provider/resources/cross-cluster-api-key/SPEC.md.
import { describe, expect, it } from "vitest";
import { CREATE_MARK_METADATA } from "../../provider/framework/create-and-reconcile";
import { MARK_INPUT } from "../../provider/framework/lifecycle";
import { crossClusterApiKeyLifecycle as lc } from "../../provider/resources/cross-cluster-api-key/lifecycle";
import { failure, useEmulator } from "../support/lifecycle-harness";

const h = useEmulator();
const access = { search: [{ names: ["logs-*"] }] };

describe("CrossClusterApiKey", () => {
  it("the create mark stays on the key across an update and never reaches the outputs (R4, R9)", async () => {
    const created = await h.create(lc, h.conn(), { name: "cc-mark", access, metadata: { team: "a" } });
    const mark = created.outs[MARK_INPUT];
    expect(h.keys("cc-mark")[0].metadata).toEqual({ team: "a", [CREATE_MARK_METADATA]: mark });
    const read = await lc.read(h.conn(), created.id, created.outs);
    expect(read.props?.metadata).toEqual({ team: "a" });
    const checked = await lc.check(h.conn(), created.inputs, { name: "cc-mark", access, metadata: { team: "b" } });
    expect(checked.inputs?.[MARK_INPUT]).toBe(mark);
    await lc.update(h.conn(), created.id, created.outs, checked.inputs!);
    expect(h.keys("cc-mark")[0].metadata).toEqual({ team: "b", [CREATE_MARK_METADATA]: mark });
  });

  it("expiry is judged by the server's clock, not this machine's (R6)", async () => {
    const created = await h.create(lc, h.conn(), { name: "cc-exp", access, expiration: "1h" });
    expect(await lc.read(h.conn(), created.id, created.outs)).toMatchObject({ id: created.id });
    h.emu.admin.advanceClock(2 * 3600_000); // the server's clock runs two hours ahead of ours
    try {
      expect(Date.parse(String(created.outs.expiresAt))).toBeGreaterThan(Date.now());
      expect(await lc.read(h.conn(), created.id, created.outs)).toEqual({});
    } finally {
      h.emu.admin.reset();
    }
  });

  it("a credential without manage_security cannot invalidate the key: destroy fails and the key stays (R8)", async () => {
    const created = await h.create(lc, h.conn(), { name: "cc-weak", access });
    expect((await h.es("PUT", "/_security/role/key-admin", { cluster: ["manage_api_key"] })).status).toBe(200);
    const admin = await h.user("key-admin", ["key-admin"]);
    const err = await failure(lc.delete(h.conn(admin), created.id, created.outs));
    expect(err.code).toBe("forbidden");
    expect(err.message).toMatch(/manage_security/);
    expect(h.liveKeys("cc-weak")).toHaveLength(1);
  });
});
