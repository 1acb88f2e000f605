// EnrollmentApiKey's lifecycle against the emulator, in-process: adoption after a lost answer (R7, every page of the
// list), names that are spent (R10), what proves a key gone (R6) and the errors at `up` (R9). Requirement numbers
// refer to provider/resources/enrollment-api-key/SPEC.md.
import { beforeAll, describe, expect, it } from "vitest";
import { UNRESOLVED_PREFIX } from "../../provider/framework/create-and-reconcile";
import { NAME_INPUT } from "../../provider/framework/lifecycle";
import { enrollmentApiKeyLifecycle as lc } from "../../provider/resources/enrollment-api-key/lifecycle";
import { failure, forwardingProxy, unrecorded, useEmulator } from "../support/lifecycle-harness";

const h = useEmulator();
let policyId: string;
let spentKeyId: string;
const createRoute = { listener: "kibana" as const, method: "POST", path: "^/api/fleet/enrollment_api_keys$" };
const LIST_PATH = "/api/fleet/enrollment_api_keys";
/** The provider's page size (provider/kibana.ts): a key behind the first 100 newer ones is on page 2 or later. */
const PER_PAGE = 100;

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
const addKeys = async (n: number) => {
  for (let i = 0; i < n; i++) await kibana("POST", LIST_PATH, { policy_id: policyId });
};

/**
 * The page of the policy's list a key is on: Fleet lists newest first (docs/elastic-api.md B.3), the admin state is
 * in creation order.
 */
function pageOf(id: string): number {
  const newestFirst = fleetKeys().reverse();
  const at = newestFirst.findIndex((k) => k.id === id);
  expect(at, `key ${id} is on the policy`).toBeGreaterThanOrEqual(0);
  return Math.floor(at / PER_PAGE) + 1;
}

/**
 * The pages of the policy's key list asked for since the request log was cleared, after the first answer of the
 * given status to a create (the lost or refused one) when one is given.
 */
function pagesRead(afterCreateAnswered?: number): number[] {
  const log = h.emu.admin.requests();
  const from = afterCreateAnswered
    ? log.findIndex((r) => r.method === "POST" && r.path === LIST_PATH && r.status === afterCreateAnswered)
    : 0;
  expect(from, "the create was answered").toBeGreaterThanOrEqual(0);
  return log
    .slice(from)
    .filter((r) => r.method === "GET" && r.path === LIST_PATH)
    .map((r) => Number(new URLSearchParams(r.query).get("page")));
}

/** The key is behind at least 100 newer ones, and the list was read up to its page. */
function foundBehindPageOne(id: string, pages: number[]): void {
  const page = pageOf(id);
  expect(page, "the key is not on the first page").toBeGreaterThan(1);
  expect(pages, `pages read (the key is on page ${page})`).toContain(page);
}

/**
 * A Kibana in front of the emulator that, when the answer to the create the faults make fail passes, has 130
 * other keys made first: the key that create made (or the one it ran into) is then behind the list's first page.
 */
const keysMadeAfterAnswer = (status: number) =>
  forwardingProxy(h.emu.kibanaUrl, async ({ method, url, status: answered }) => {
    if (method === "POST" && url.split("?")[0] === LIST_PATH && answered === status) await addKeys(130);
  });

beforeAll(async () => {
  policyId = (
    (await kibana("POST", "/api/fleet/agent_policies", { name: "p", namespace: "default" })).body.item as {
      id: string;
    }
  ).id;
  // A revoked key whose name is spent, then 130 newer keys: the spent name is behind the first page of the list.
  const made = await kibana("POST", LIST_PATH, { policy_id: policyId, name: "used-once" });
  spentKeyId = (made.body.item as { id: string }).id;
  await kibana("DELETE", `${LIST_PATH}/${spentKeyId}`);
  await addKeys(130);
});

describe("a create whose answer is lost (R7)", () => {
  it("adopts the key a generated name proves it made, found on the second page, without creating another", async () => {
    const proxy = await keysMadeAfterAnswer(503);
    h.emu.admin.setFaults([{ ...createRoute, kind: "commit-then-fail", status: 503, count: 1 }]);
    h.emu.admin.clearRequests();
    const before = fleetKeys().length;
    try {
      const created = await h.create(lc, h.conn(undefined, { KIBANA_ENDPOINT: proxy.url }), { policyId }, "adopted");
      expect(fleetKeys().length).toBe(before + 1 + 130);
      expect(created.outs.apiKey).toMatch(/.{20,}/);
      expect(fleetKeys().find((k) => k.id === created.id)?.active).toBe(true);
      foundBehindPageOne(created.id, pagesRead(503));
    } finally {
      h.emu.admin.clearFaults();
      await proxy.close();
    }
  });

  it("with an explicit name it cannot prove the key is its own: it stops and names the candidate, found on the second page", async () => {
    const proxy = await keysMadeAfterAnswer(503);
    h.emu.admin.setFaults([{ ...createRoute, kind: "commit-then-fail", status: 503, count: 1 }]);
    h.emu.admin.clearRequests();
    const err = await failure(
      h.create(lc, h.conn(undefined, { KIBANA_ENDPOINT: proxy.url }), { policyId, name: "fixed-name" }),
    ).finally(async () => {
      h.emu.admin.clearFaults();
      await proxy.close();
    });
    const candidate = fleetKeys().find((k) => k.name.startsWith("fixed-name ("))!;
    foundBehindPageOne(candidate.id, pagesRead(503));
    expect(err.message).toMatch(/Fleet now holds enrollment key\(s\) named "fixed-name" on agent policy/);
    expect(err.message).toContain(`(id ${candidate.id})`);
    expect(err.message).toMatch(/another stack or a person may have/);
    // The create stays in state as unresolved: destroy names the candidate too, until someone decides.
    const partial = err.details.partialState!;
    expect(partial.id).toBe(`${UNRESOLVED_PREFIX}${policyId}/fixed-name`);
    // (Destroyed without the proxy: the state recorded the proxy's URL, another endpoint to the cluster record.)
    const outs = unrecorded(partial.outs);
    await expect(lc.delete(h.conn(), partial.id, outs)).rejects.toMatchObject({
      code: "undecidable",
      message: expect.stringMatching(/Fleet now holds enrollment key/),
    });
    expect(candidate.active).toBe(true);
    // Once the candidate is revoked by hand, destroy goes through.
    expect((await kibana("DELETE", `${LIST_PATH}/${candidate.id}`)).status).toBe(200);
    await lc.delete(h.conn(), partial.id, outs);
  });
});

describe("names that are spent (R10)", () => {
  it("a create with a name any key of the policy had — revoked ones included, on the second page — is refused at check, in words", async () => {
    h.emu.admin.clearRequests();
    const checked = await lc.check(h.conn(), {}, { policyId, name: "used-once", [NAME_INPUT]: "k" });
    foundBehindPageOne(spentKeyId, pagesRead());
    expect(checked.failures?.[0].reason).toBe(
      `the enrollment key name "used-once" is spent on agent policy "${policyId}": a revoked enrollment key (id ${spentKeyId}) had it, and Fleet keeps revoked keys and never frees their names. Choose a name this policy never had, or remove \`name\` (or set \`namePrefix\`) to let the provider generate a unique one on every create.`,
    );
  });

  it("a name taken between preview and up fails with Fleet's 409 and the same explanation, the holder found on the second page", async () => {
    const checked = await lc.check(h.conn(), {}, { policyId, name: "raced-name", [NAME_INPUT]: "k" });
    const raced = await kibana("POST", LIST_PATH, { policy_id: policyId, name: "raced-name" });
    const racedId = (raced.body.item as { id: string }).id;
    const proxy = await keysMadeAfterAnswer(409);
    h.emu.admin.clearRequests();
    const err = await failure(lc.create(h.conn(undefined, { KIBANA_ENDPOINT: proxy.url }), checked.inputs!)).finally(
      () => proxy.close(),
    );
    foundBehindPageOne(racedId, pagesRead(409));
    expect(err.code).toBe("conflict");
    expect(err.message).toMatch(/HTTP 409/);
    expect(err.message).toContain(
      `is spent on agent policy "${policyId}": an active enrollment key (id ${racedId}) already has it`,
    );
  });
});

describe("gone is proven (R6) and errors name the cause (R9)", () => {
  it("a Kibana base path that is wrong is not 'gone': refresh fails naming the path", async () => {
    const created = await h.create(lc, h.conn(), { policyId }, "path");
    const wrong = h.conn(undefined, { KIBANA_ENDPOINT: `${h.emu.kibanaUrl}/kibana` });
    const err = await failure(lc.read(wrong, created.id, unrecorded(created.outs)));
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

describe("a token whose Elasticsearch key died behind Fleet's back (R6) and import ids (R11)", () => {
  it("stays in state, shows as a replacement, and destroy revokes it in Fleet, which still listed it active", async () => {
    const created = await h.create(lc, h.conn(), { policyId }, "dead-token");
    const esKey = String(created.outs.apiKeyId);
    expect((await h.es("DELETE", "/_security/api_key", { ids: [esKey] })).status).toBe(200);
    const props = { ...created.inputs, ...created.outs };
    const read = await lc.read(h.conn(), created.id, props);
    expect(read.id, "kept in state").toBe(created.id);
    expect(read.props?.deadToken).toBe(true);
    expect(fleetKeys().find((k) => k.id === created.id)?.active, "Fleet still lists it active").toBe(true);
    expect(await lc.diff(created.id, read.props!, created.inputs)).toMatchObject({
      changes: true,
      replaces: ["__drift"],
    });
    await lc.delete(h.conn(), created.id, read.props!);
    expect(fleetKeys().find((k) => k.id === created.id)?.active, "revoked in Fleet").toBe(false);
  });

  it("import ids that are not `<keyId>` or `<spaceId>/<keyId>` are refused before any request", async () => {
    for (const id of [".", "..", `../${spentKeyId}`, `./${spentKeyId}`, `default/${spentKeyId}/x`, "default/..", ""]) {
      h.emu.admin.clearRequests();
      const err = await failure(lc.importExisting(h.conn(), id));
      expect(err.code, id).toBe("invalid_input");
      expect(err.message).toMatch(/is not an enrollment key import id/);
      expect(h.emu.admin.requests(), id).toEqual([]);
    }
  });
});
