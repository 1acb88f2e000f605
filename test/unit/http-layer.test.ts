import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
// The HTTP layer: transport (headers, pools), retry (backoff, budget, failover to the next node on connection errors
// only, creates never blindly retried), and answers (Elastic's message, answers that are not Elastic's).
import { z } from "zod";
import { elasticMessage, expectBody } from "../../provider/elastic/answers";
import type { Target } from "../../provider/elastic/target";
import { ElasticKeysError, hasCode } from "../../provider/elastic/errors";
import { redact, Redactor } from "../../provider/elastic/redaction";
import { send } from "../../provider/elastic/retry";
import type { HttpPolicy } from "../../provider/elastic/target";
import { closeSession, newHttpSession } from "../../provider/elastic/http-session";
import { Connection } from "../../provider/elastic/connection";

type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;
let handler: Handler = (_q, res) => res.end("{}");
let hits = 0;
let server: Server;
let target: Target;
const fast: HttpPolicy = { timeoutMs: 2_000, createTimeoutMs: 2_000, budgetMs: 3_000, baseDelayMs: 10, maxDelayMs: 50 };
const at = (urls: string[]): Target => ({ ...target, urls, key: urls.join(",") });
const ES_ORIGIN = { service: "Elasticsearch", setting: "env ELASTICSEARCH_ENDPOINTS" } as const;
const KIBANA_ORIGIN = { service: "Kibana", setting: "stack config `elastic:kibanaEndpoint`" } as const;

beforeAll(async () => {
  server = createServer((req, res) => handler(req, res, ++hits));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  target = {
    service: "Elasticsearch",
    origin: ES_ORIGIN,
    urls: [url],
    credentials: { kind: "basic", username: "u", password: "s3cret-pass" },
    insecure: false,
    key: url,
    policy: fast,
    session: newHttpSession(),
  };
});
afterEach(() => {
  hits = 0;
});
afterAll(async () => {
  await closeSession(target.session);
  server.close();
});

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
};

describe("HTTP layer", () => {
  it("sends the auth header and Kibana's xsrf and version headers", async () => {
    let seen: IncomingMessage["headers"] = {};
    handler = (req, res) => {
      seen = req.headers;
      json(res, 200, {});
    };
    await send({ ...target, service: "Kibana" }, { method: "POST", path: "/api/x", body: {}, idempotent: true }, fast);
    expect(seen.authorization).toBe(`Basic ${Buffer.from("u:s3cret-pass").toString("base64")}`);
    expect(seen["kbn-xsrf"]).toBeDefined();
    expect(seen["elastic-api-version"]).toBe("2023-10-31");
  });

  it("retries 429 and 503 for idempotent requests, honouring Retry-After", async () => {
    handler = (_q, res, n) =>
      n === 1
        ? json(res, 429, { error: "slow down" }, { "retry-after": "0" })
        : n === 2
          ? json(res, 503, {})
          : json(res, 200, { ok: true });
    const res = await send(target, { method: "GET", path: "/", idempotent: true }, fast);
    expect(res.status).toBe(200);
    expect(hits).toBe(3);
  });

  it.each([429, 408, 500, 503])(
    "a %i on a create is never sent again: outcome unknown, with the wait the server asked for",
    async (status) => {
      handler = (_q, res) =>
        json(res, status, { error: { type: "x", reason: "busy" }, status }, { "retry-after": "2" });
      const err = await send(
        target,
        { method: "POST", path: "/_security/api_key", body: {}, idempotent: false },
        fast,
      ).catch((e: unknown) => e);
      expect(hasCode(err, "outcome_unknown")).toBe(true);
      expect(hits).toBe(1);
      expect((err as ElasticKeysError).details).toMatchObject({ status, retryAfterMs: 2_000 });
      expect((err as Error).message).toContain(`HTTP ${status}`);
    },
  );

  it("a connection reset after a create was sent is outcome unknown; for an idempotent request it is retried", async () => {
    handler = (req, res, n) => (n === 1 ? req.socket.destroy() : json(res, 200, {}));
    await expect(send(target, { method: "POST", path: "/c", body: {}, idempotent: false }, fast)).rejects.toMatchObject(
      { code: "outcome_unknown" },
    );
    hits = 0;
    const ok = await send(target, { method: "PUT", path: "/r", body: {}, idempotent: true }, fast);
    expect(ok.status).toBe(200);
    expect(hits).toBe(2);
  });

  it("an unreachable endpoint names the URL once the budget is spent", async () => {
    const dead = at(["http://127.0.0.1:1"]);
    await expect(
      send(dead, { method: "GET", path: "/", idempotent: true }, { ...fast, budgetMs: 200 }),
    ).rejects.toThrow(/cannot reach Elasticsearch at http:\/\/127.0.0.1:1 \(ECONNREFUSED\)/);
  });

  it("gives up after the total budget and returns the last 503", async () => {
    handler = (_q, res) => json(res, 503, { error: { type: "unavailable", reason: "still busy" }, status: 503 });
    const res = await send(target, { method: "GET", path: "/", idempotent: true }, { ...fast, budgetMs: 150 });
    expect(res.status).toBe(503);
    expect(hits).toBeGreaterThan(1);
  });

  it("an HTML proxy page is reported as not JSON, with the endpoint and status", async () => {
    handler = (_q, res) => {
      res.writeHead(502, { "content-type": "text/html" });
      res.end("<html><body><h1>Bad gateway</h1></body></html>");
    };
    const res = await send(
      target,
      { method: "GET", path: "/_security/role/x", idempotent: true },
      { ...fast, budgetMs: 0 },
    );
    expect(() => expectBody(res, "Elasticsearch", z.object({}), "reading role failed")).toThrow(
      /GET http:\/\/127.0.0.1:\d+\/_security\/role\/x -> HTTP 502[\s\S]*not JSON \(content-type "text\/html"\): Bad gateway/,
    );
  });

  it("Elastic's own message is taken from ES envelopes and Kibana Boom bodies", () => {
    const base = { status: 400, text: "", contentType: "application/json", endpoint: "GET /", origin: ES_ORIGIN };
    expect(
      elasticMessage({
        ...base,
        body: {
          error: { type: "x_content_parse_exception", reason: "Failed to build", caused_by: { reason: "bad unit" } },
        },
      }),
    ).toBe("Failed to build (caused by: bad unit)");
    expect(elasticMessage({ ...base, body: { statusCode: 409, error: "Conflict", message: "already exists" } })).toBe(
      "already exists",
    );
    expect(elasticMessage({ ...base, body: { error: "no handler found", status: 400 } })).toBe("no handler found");
  });

  it("error messages never contain a registered secret or an Authorization value", () => {
    const secrets = new Redactor();
    secrets.add("s3cret-pass");
    const e = new ElasticKeysError("internal", "failed with s3cret-pass", {
      elasticMessage: "header was ApiKey QUJDREVGR0g6aWprbG1ub3A=",
    }).redactedBy(secrets);
    expect(e.message).not.toMatch(/s3cret-pass|QUJDREVGR0g6aWprbG1ub3A=/);
    expect(redact("Basic dTpzM2NyZXQtcGFzcw==")).toBe("Basic [redacted]");
    expect(redact("cannot reach https://admin:pw-in-url@es:9200/x")).toBe("cannot reach https://[redacted]@es:9200/x");
  });

  it("fails over to the next node when one cannot be reached, and stays there", async () => {
    // A dead node that counts its hits: it accepts each connection and cuts it before any answer.
    let deadHits = 0;
    const dead = createNetServer((socket) => {
      deadHits++;
      socket.destroy();
    });
    await new Promise<void>((r) => dead.listen(0, "127.0.0.1", r));
    try {
      handler = (_q, res) => json(res, 200, { ok: true }, { "x-elastic-product": "Elasticsearch" });
      const both = at([`http://127.0.0.1:${(dead.address() as AddressInfo).port}`, target.urls[0]]);
      const first = await send(both, { method: "GET", path: "/", idempotent: true }, fast);
      expect(first.status).toBe(200);
      expect({ dead: deadHits, healthy: hits }).toEqual({ dead: 1, healthy: 1 });
      // The budget would let every later request try the dead node first again; it is never tried again.
      for (let i = 0; i < 3; i++)
        expect((await send(both, { method: "GET", path: "/", idempotent: true }, fast)).status).toBe(200);
      expect({ dead: deadHits, healthy: hits }).toEqual({ dead: 1, healthy: 4 });
    } finally {
      dead.close();
    }
  });

  it("never fails over after an answer: a 503 is retried on the same node", async () => {
    let other = 0;
    const second = createServer((_q, res) => {
      other++;
      json(res, 200, {});
    });
    await new Promise<void>((r) => second.listen(0, "127.0.0.1", r));
    try {
      handler = (_q, res, n) => (n === 1 ? json(res, 503, {}) : json(res, 200, {}));
      const pair = at([target.urls[0], `http://127.0.0.1:${(second.address() as AddressInfo).port}`]);
      const res = await send(pair, { method: "GET", path: "/", idempotent: true }, fast);
      expect(res.status).toBe(200);
      expect(hits).toBe(2);
      expect(other).toBe(0);
    } finally {
      second.close();
    }
  });

  it("a create is never sent to a second node once it may have reached the first", async () => {
    handler = (req) => req.socket.destroy();
    const pair = at([target.urls[0], "http://127.0.0.1:1"]);
    await expect(
      send(pair, { method: "POST", path: "/_security/api_key", body: {}, idempotent: false }, fast),
    ).rejects.toMatchObject({ code: "outcome_unknown" });
    expect(hits).toBe(1);
  });

  it("a create that gets no answer within its timeout is outcome unknown and in flight (the server may still do it)", async () => {
    handler = () => undefined; // never answers
    const err = (await send(
      target,
      { method: "POST", path: "/_security/api_key", body: {}, idempotent: false },
      { ...fast, createTimeoutMs: 200 },
    ).catch((e: unknown) => e)) as ElasticKeysError;
    expect(err.code).toBe("outcome_unknown");
    expect(err.details.inFlight).toBe(true);
  });

  it("a create waits longer than a read for its answer", async () => {
    handler = (_q, res) => setTimeout(() => json(res, 200, { ok: true }), 300);
    const slowPolicy = { ...fast, timeoutMs: 100, createTimeoutMs: 2_000 };
    const created = await send(target, { method: "POST", path: "/c", body: {}, idempotent: false }, slowPolicy);
    expect(created.status).toBe(200);
  });

  it("an answer that is not Elasticsearch's is named for what it is", async () => {
    const kibanaLike = (status: number, body: unknown) => ({
      status,
      body,
      text: JSON.stringify(body),
      contentType: "application/json",
      kibanaName: "kibana",
      endpoint: "GET http://x/_security/role/r",
      origin: ES_ORIGIN,
    });
    expect(() =>
      expectBody(
        kibanaLike(404, { statusCode: 404, error: "Not Found", message: "Not Found" }),
        "Elasticsearch",
        z.object({}),
        "reading role failed",
      ),
    ).toThrow(/the answer came from Kibana, not Elasticsearch[\s\S]*swapped/);
    expect(() =>
      expectBody(
        {
          status: 404,
          body: undefined,
          text: "nope",
          contentType: "text/plain",
          endpoint: "GET http://x/",
          origin: ES_ORIGIN,
        },
        "Elasticsearch",
        z.object({}),
        "reading role failed",
      ),
    ).toThrow(/did not come from Elasticsearch \(no X-Elastic-Product header\)/);
    expect(() =>
      expectBody(
        { ...kibanaLike(404, { statusCode: 404, error: "Not Found", message: "Not Found" }), origin: KIBANA_ORIGIN },
        "Fleet",
        z.object({}),
        "reading key failed",
      ),
    ).toThrow(/Kibana has no such route: check the path in stack config `elastic:kibanaEndpoint`/);
    try {
      expectBody(
        { ...kibanaLike(200, {}), kibanaName: undefined, product: "Elasticsearch", origin: KIBANA_ORIGIN },
        "Kibana",
        z.object({}),
        "x",
      );
      expect.unreachable();
    } catch (e) {
      expect((e as ElasticKeysError).code).toBe("unexpected_answer");
      expect((e as Error).message).toMatch(/came from Elasticsearch, not Kibana/);
    }
  });

  describe("messages name the setting that supplied the URL (Fleet without its own endpoint is reached at Kibana's)", () => {
    const creds = { ELASTICSEARCH_USERNAME: "u", ELASTICSEARCH_PASSWORD: "p", ELASTIC_KEYS_HTTP_BUDGET_MS: "200" };
    const reachFleet = (config: Record<string, string>, env: Record<string, string>) =>
      send(
        new Connection({ config, env: { ...creds, ...env } }).fleet(),
        { method: "GET", path: "/api/fleet/enrollment_api_keys/x", idempotent: true },
        { ...fast, budgetMs: 200 },
      ).then(
        () => new Error("reached"),
        (e: unknown) => e as Error,
      );

    it("an unreachable Kibana is Kibana, named with the env var or config key that gave its URL", async () => {
      const fromEnv = await reachFleet({}, { KIBANA_ENDPOINT: "http://127.0.0.1:1" });
      expect(fromEnv.message).toMatch(/cannot reach Kibana at http:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\)/);
      expect(fromEnv.message).toMatch(/check that Kibana is running and that env KIBANA_ENDPOINT is right/);
      const fromConfig = await reachFleet({ kibanaEndpoint: "http://127.0.0.1:1" }, {});
      expect(fromConfig.message).toMatch(/that stack config `elastic:kibanaEndpoint` is right/);
    });

    it("an unreachable Fleet endpoint of its own is Fleet, named with its setting", async () => {
      const err = await reachFleet({}, { KIBANA_ENDPOINT: target.urls[0], FLEET_ENDPOINT: "http://127.0.0.1:1" });
      expect(err.message).toMatch(/cannot reach Fleet at http:\/\/127\.0\.0\.1:1[\s\S]*env FLEET_ENDPOINT is right/);
    });

    it("Elasticsearch answering at the Kibana URL says to fix the Kibana setting the user set", async () => {
      handler = (_q, res) => json(res, 200, {}, { "x-elastic-product": "Elasticsearch" });
      const fleet = new Connection({ config: { kibanaEndpoint: target.urls[0] }, env: creds }).fleet();
      const res = await send(fleet, { method: "GET", path: "/api/fleet/x", idempotent: true }, fast);
      expect(() => expectBody(res, "Fleet", z.object({}), "reading key failed")).toThrow(
        /set stack config `elastic:kibanaEndpoint` to Kibana's URL \(are the Elasticsearch and Kibana URLs swapped\?\)/,
      );
    });
  });

  it("a body of an unknown shape is an error, not a cast", () => {
    const res = {
      status: 200,
      body: { api_keys: "no" },
      text: "",
      contentType: "application/json",
      product: "Elasticsearch",
      endpoint: "GET http://x/_security/api_key",
      origin: ES_ORIGIN,
    };
    expect(() => expectBody(res, "Elasticsearch", z.object({ api_keys: z.array(z.unknown()) }), "reading")).toThrow(
      /answered in a shape this provider does not know[\s\S]*api_keys/,
    );
  });
});
