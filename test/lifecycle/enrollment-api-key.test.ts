// EnrollmentApiKey's lifecycle against the emulator, in-process: adoption after a lost answer (R7, every page of the
// list), names that are spent (R10), what proves a key gone (R6) and the errors at `up` (R9). Requirement numbers
// refer to provider/resources/enrollment-api-key/SPEC.md.
import { beforeAll, describe, expect, it } from "vitest";
import { UNRESOLVED_PREFIX } from "../../provider/framework/create-and-reconcile";
import { NAME_INPUT } from "../../provider/framework/lifecycle";
import { enrollmentApiKeyLifecycle as lc } from "../../provider/resources/enrollment-api-key/lifecycle";
import { failure, useEmulator } from "./harness";

const h = useEmulator();
let policyId: string;
const createRoute = { listener: "kibana" as const, method: "POST", path: "^/api/fleet/enrollment_api_keys$" };

async function kibana(method: string, path: string, body?: unknown) {
  const res = await fetch(`${h.emu.kibanaUrl}${path}`, {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(`elastic:${h.emu.superuser.password}`).toString("base64")}`,
      "kbn-xsrf": "t",
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
const fleetKeys = () => h.emu.admin.state().enrollmentKeys.filter((k) => k.policy_id === policyId);

beforeAll(async () => {
  policyId = (
    (await kibana("POST", "/api/fleet/agent_policies", { name: "p", namespace: "default" })).body.item as {
      id: string;
    }
  ).id;
  // Other keys on the policy, so that the key an interrupted create made is on the second page of the list.
  for (let i = 0; i < 130; i++) await kibana("POST", "/api/fleet/enrollment_api_keys", { policy_id: policyId });
});

describe("a create whose answer is lost (R7)", () => {
  it("adopts the key a generated name proves it made, found on the second page, without creating another", async () => {
    h.emu.admin.setFaults([{ ...createRoute, kind: "commit-then-fail", status: 503, count: 1 }]);
    const before = fleetKeys().length;
    const created = await h.create(lc, h.conn(), { policyId }, "adopted").finally(() => h.emu.admin.clearFaults());
    expect(fleetKeys().length).toBe(before + 1);
    expect(created.outs.apiKey).toMatch(/.{20,}/);
    expect(fleetKeys().find((k) => k.id === created.id)?.active).toBe(true);
  });

  it("with an explicit name it cannot prove the key is its own: it stops and names the candidate", async () => {
    h.emu.admin.setFaults([{ ...createRoute, kind: "commit-then-fail", status: 503, count: 1 }]);
    const err = await failure(h.create(lc, h.conn(), { policyId, name: "fixed-name" })).finally(() =>
      h.emu.admin.clearFaults(),
    );
    expect(err.message).toMatch(/Fleet now holds enrollment key\(s\) named "fixed-name" on agent policy/);
    expect(err.message).toMatch(/another stack or a person may have/);
    // The create stays in state as unresolved: destroy names the candidate too, until someone decides.
    const partial = err.details.partialState!;
    expect(partial.id).toBe(`${UNRESOLVED_PREFIX}${policyId}/fixed-name`);
    await expect(lc.delete(h.conn(), partial.id, partial.outs)).rejects.toMatchObject({ code: "undecidable" });
    const candidate = fleetKeys().find((k) => k.name.startsWith("fixed-name ("))!;
    expect(candidate.active).toBe(true);
    // Once the candidate is revoked by hand, destroy goes through.
    expect((await kibana("DELETE", `/api/fleet/enrollment_api_keys/${candidate.id}`)).status).toBe(200);
    await lc.delete(h.conn(), partial.id, partial.outs);
  });
});

describe("names that are spent (R10)", () => {
  it("a create with a name any key of the policy had — revoked ones included — is refused at check, in words", async () => {
    const made = await kibana("POST", "/api/fleet/enrollment_api_keys", { policy_id: policyId, name: "used-once" });
    const id = (made.body.item as { id: string }).id;
    await kibana("DELETE", `/api/fleet/enrollment_api_keys/${id}`);
    const checked = await lc.check(h.conn(), {}, { policyId, name: "used-once", [NAME_INPUT]: "k" });
    expect(checked.failures?.[0].reason).toBe(
      `the enrollment key name "used-once" is spent on agent policy "${policyId}": a revoked enrollment key (id ${id}) had it, and Fleet keeps revoked keys and never frees their names. Choose a name this policy never had, or remove \`name\` (or set \`namePrefix\`) to let the provider generate a unique one on every create.`,
    );
  });

  it("a name taken between preview and up fails with Fleet's 409 and the same explanation", async () => {
    const checked = await lc.check(h.conn(), {}, { policyId, name: "raced-name", [NAME_INPUT]: "k" });
    await kibana("POST", "/api/fleet/enrollment_api_keys", { policy_id: policyId, name: "raced-name" });
    const err = await failure(lc.create(h.conn(), checked.inputs!));
    expect(err.code).toBe("conflict");
    expect(err.message).toMatch(/HTTP 409/);
    expect(err.message).toMatch(
      /is spent on agent policy .*: an active enrollment key \(id [0-9a-f-]+\) already has it/,
    );
  });
});

describe("gone is proven (R6) and errors name the cause (R9)", () => {
  it("a Kibana base path that is wrong is not 'gone': refresh fails naming the path", async () => {
    const created = await h.create(lc, h.conn(), { policyId }, "path");
    const wrong = h.conn(undefined, { KIBANA_ENDPOINT: `${h.emu.kibanaUrl}/kibana` });
    const err = await failure(lc.read(wrong, created.id, created.outs));
    expect(err.code).toBe("unexpected_answer");
    expect(err.message).toMatch(/Kibana has no such route: check the path in env KIBANA_ENDPOINT \(a base path/);
  });

  it("Fleet's own 'not found' for the key is 'gone'", async () => {
    expect(await lc.read(h.conn(), "00000000-0000-4000-8000-000000000000", { policyId, apiKeyId: "x" })).toEqual({});
  });

  it("a policy in a space that does not exist names the space", async () => {
    const err = await failure(h.create(lc, h.conn(), { policyId, spaceId: "nowhere" }, "spaced"));
    expect(err.code).toBe("not_found");
    expect(err.message).toMatch(/Kibana space "nowhere" does not exist/);
  });
});
