// EnrollmentApiKey creates against a scripted Fleet: adoption after an unknown outcome (R7, every page of the list)
// and the errors at `up` (R9). Requirement numbers refer to provider/resources/enrollment-api-key/SPEC.md.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Target } from "../../provider/connection";
import { closePools } from "../../provider/http";
import type { EnrollmentKeyWire } from "../../provider/kibana";
import { createOrAdoptEnrollmentKey } from "../../provider/resources/enrollment-api-key/create-or-adopt";
import { enrollmentApiKeyLifecycle } from "../../provider/resources/enrollment-api-key/lifecycle";

process.env.ELASTIC_KEYS_HTTP_BASE_DELAY_MS = "5";

interface Seen {
  method: string;
  url: string;
}
type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let handler: Handler;
let seen: Seen[] = [];
let server: Server;
let fleet: Target;

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ method: req.method ?? "", url: req.url ?? "" });
    req.resume();
    req.on("end", () => handler(req, res));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  process.env.KIBANA_ENDPOINT = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.KIBANA_USERNAME = "u";
  process.env.KIBANA_PASSWORD = "p";
  process.env.ELASTICSEARCH_USERNAME = "u";
  process.env.ELASTICSEARCH_PASSWORD = "p";
  fleet = {
    service: "Fleet",
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    credentials: { kind: "basic", username: "u", password: "p" },
    insecure: false,
  };
});
beforeEach(() => {
  seen = [];
});
afterAll(async () => {
  await closePools();
  server.close();
});

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};

function key(id: string, name: string, createdAt = new Date().toISOString(), active = true): EnrollmentKeyWire {
  return {
    id,
    api_key_id: `es-${id}`,
    api_key: `token-${id}`,
    name: `${name} (${id})`,
    active,
    policy_id: "p1",
    created_at: createdAt,
  };
}

/** A list of `total` keys served 100 per page (the page size the provider asks for), `ours` last. */
function pagedList(others: EnrollmentKeyWire[], ours: EnrollmentKeyWire | undefined): Handler {
  const all = ours ? [...others, ours] : others;
  return (req, res) => {
    const url = new URL(req.url ?? "", "http://x");
    const page = Number(url.searchParams.get("page"));
    const perPage = Number(url.searchParams.get("perPage"));
    const items = all.slice((page - 1) * perPage, page * perPage);
    json(res, 200, { items, list: items, total: all.length, page, perPage });
  };
}

const others = Array.from({ length: 130 }, (_, i) => key(`other-${i}`, `other-${i}`));
const req = { policyId: "p1", name: "agents-0badcafe" };

describe("EnrollmentApiKey create whose outcome is unknown (R7)", () => {
  it("adopts the key a 503-after-commit made, found on the second page of the list, without creating another", async () => {
    const ours = key("ours", req.name);
    const list = pagedList(others, ours);
    handler = (q, res) => (q.method === "POST" ? json(res, 503, { statusCode: 503, message: "boom" }) : list(q, res));
    const created = await createOrAdoptEnrollmentKey(fleet, req);
    expect(created.id).toBe("ours");
    expect(created.api_key).toBe("token-ours");
    expect(seen.filter((s) => s.method === "POST")).toHaveLength(1);
    const pages = seen
      .filter((s) => s.method === "GET")
      .map((s) => new URL(s.url, "http://x").searchParams.get("page"));
    expect(pages).toEqual(["1", "2"]);
    expect(new URL(seen[1].url, "http://x").searchParams.get("kuery")).toBe('policy_id:"p1"');
  });

  it("creates again when the interrupted attempt made nothing", async () => {
    let posts = 0;
    const list = pagedList(others, undefined);
    handler = (q, res) => {
      if (q.method !== "POST") return list(q, res);
      if (++posts === 1) return json(res, 503, { statusCode: 503, message: "busy" });
      json(res, 200, { item: key("fresh", req.name), action: "created" });
    };
    expect((await createOrAdoptEnrollmentKey(fleet, req)).id).toBe("fresh");
    expect(posts).toBe(2);
  });

  it("never adopts an older key that merely has the same name, nor a revoked one", async () => {
    let posts = 0;
    const old = key("old", req.name, new Date(Date.now() - 3_600_000).toISOString());
    const revoked = key("revoked", req.name, new Date().toISOString(), false);
    const list = pagedList([old, revoked], undefined);
    handler = (q, res) => {
      if (q.method !== "POST") return list(q, res);
      if (++posts === 1) return json(res, 502, { statusCode: 502, message: "gateway" });
      json(res, 200, { item: key("fresh", req.name), action: "created" });
    };
    expect((await createOrAdoptEnrollmentKey(fleet, req)).id).toBe("fresh");
  });

  it("reads the secret by id when the list leaves it out", async () => {
    const ours = { ...key("ours", req.name), api_key: "" };
    const list = pagedList([], ours);
    handler = (q, res) => {
      if (q.method === "POST") return json(res, 503, { statusCode: 503, message: "boom" });
      if (q.url?.includes("/ours")) return json(res, 200, { item: key("ours", req.name) });
      list(q, res);
    };
    expect((await createOrAdoptEnrollmentKey(fleet, req)).api_key).toBe("token-ours");
  });
});

describe("EnrollmentApiKey errors at up (R9)", () => {
  it("an unknown policy names the policy id (404 since 8.15, 400 before)", async () => {
    for (const status of [404, 400]) {
      handler = (_q, res) =>
        json(res, status, { statusCode: status, error: "Not Found", message: 'Agent policy "nope" not found' });
      await expect(createOrAdoptEnrollmentKey(fleet, { ...req, policyId: "nope" })).rejects.toThrow(
        /agent policy "nope" does not exist[\s\S]*HTTP \d+[\s\S]*fix: create the agent policy first/,
      );
    }
  });

  it("a duplicate name says which name exists on which policy, and what to do", async () => {
    handler = (_q, res) =>
      json(res, 409, {
        statusCode: 409,
        error: "Conflict",
        message: "An enrollment key named edge already exists for agent policy p1",
      });
    await expect(createOrAdoptEnrollmentKey(fleet, { ...req, name: "edge" })).rejects.toThrow(
      /an enrollment key named "edge" already exists for agent policy "p1" \(Fleet counts revoked keys too\)[\s\S]*fix: .*namePrefix/,
    );
    expect(seen.filter((s) => s.method === "POST")).toHaveLength(1);
  });
});

describe("EnrollmentApiKey refresh and delete (R6, R8)", () => {
  const state = { policyId: "p1", name: "n", spaceId: "ops", keyId: "k1", apiKey: "token-k1" };

  it("refresh drops a revoked key and a key Fleet no longer knows, and reads through the key's space", async () => {
    handler = (_q, res) => json(res, 200, { item: key("k1", "n", undefined, false) });
    expect(await enrollmentApiKeyLifecycle.read("k1", state)).toEqual({});
    expect(seen[0].url).toBe("/s/ops/api/fleet/enrollment_api_keys/k1");
    handler = (_q, res) =>
      json(res, 404, { statusCode: 404, error: "Not Found", message: "Enrollment api key k1 not found" });
    expect(await enrollmentApiKeyLifecycle.read("k1", state)).toEqual({});
  });

  it("refresh keeps an active key and reports its current outputs", async () => {
    handler = (_q, res) => json(res, 200, { item: key("k1", "n") });
    const r = await enrollmentApiKeyLifecycle.read("k1", state);
    expect(r).toMatchObject({
      id: "k1",
      props: { keyId: "k1", fleetName: "n (k1)", active: true, apiKey: "token-k1" },
    });
  });

  it("refresh drops a key whose Elasticsearch key was invalidated behind Fleet's back, when ES is configured", async () => {
    const invalidated = { api_keys: [{ id: "es-k1", name: "n (k1)", invalidated: true }] };
    handler = (q, res) =>
      q.url?.startsWith("/_security/api_key") ? json(res, 200, invalidated) : json(res, 200, { item: key("k1", "n") });
    expect((await enrollmentApiKeyLifecycle.read("k1", state)).id).toBe("k1"); // ES not configured: Fleet decides
    process.env.ELASTICSEARCH_ENDPOINTS = process.env.KIBANA_ENDPOINT;
    try {
      expect(await enrollmentApiKeyLifecycle.read("k1", state)).toEqual({});
      expect(seen.map((r) => r.url)).toContain("/_security/api_key?id=es-k1");
      handler = (q, res) =>
        q.url?.startsWith("/_security/api_key")
          ? json(res, 404, { api_keys: [] }) // not visible to this credential: Fleet decides
          : json(res, 200, { item: key("k1", "n") });
      expect((await enrollmentApiKeyLifecycle.read("k1", state)).id).toBe("k1");
    } finally {
      delete process.env.ELASTICSEARCH_ENDPOINTS;
    }
  });

  it("refresh asks Fleet and Elasticsearch at once when the state names the Elasticsearch key", async () => {
    const invalidated = { api_keys: [{ id: "es-k1", name: "n (k1)", invalidated: true }] };
    process.env.ELASTICSEARCH_ENDPOINTS = process.env.KIBANA_ENDPOINT;
    try {
      // Fleet answers only once the Elasticsearch read has arrived: sequential reads would wait for ever (timeout).
      let esSeen = false;
      let answerFleet: (() => void) | undefined;
      handler = (q, res) => {
        if (q.url?.startsWith("/_security/api_key")) {
          esSeen = true;
          json(res, 200, invalidated);
          answerFleet?.();
        } else {
          answerFleet = () => json(res, 200, { item: key("k1", "n") });
          if (esSeen) answerFleet();
        }
      };
      expect(await enrollmentApiKeyLifecycle.read("k1", { ...state, apiKeyId: "es-k1" })).toEqual({});
      expect(seen.map((r) => r.url).sort()).toEqual([
        "/_security/api_key?id=es-k1",
        "/s/ops/api/fleet/enrollment_api_keys/k1",
      ]);
    } finally {
      delete process.env.ELASTICSEARCH_ENDPOINTS;
    }
  });

  it("delete revokes through the key's space, and a key Fleet no longer knows (404) is fine", async () => {
    handler = (_q, res) => json(res, 200, { action: "deleted" });
    await enrollmentApiKeyLifecycle.delete("k1", state);
    expect(seen).toEqual([{ method: "DELETE", url: "/s/ops/api/fleet/enrollment_api_keys/k1" }]);
    handler = (_q, res) =>
      json(res, 404, { statusCode: 404, error: "Not Found", message: "Enrollment api key k1 not found" });
    await expect(enrollmentApiKeyLifecycle.delete("k1", state)).resolves.toBeUndefined();
  });
});
