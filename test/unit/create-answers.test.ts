// What an answer to a create means (answers.ts expectCreated, retry.ts) and what of any answer may be printed
// (answer-secrets.ts): a create is proven only by a trusted 2xx of the known shape, refused only by Elastic's own 4xx;
// every other answer is outcome_unknown, settled by the create's mark. No secret an answer holds reaches a message.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { elasticMessage, expectCreated } from "../../provider/elastic/answers";
import { ElasticKeysError } from "../../provider/elastic/errors";
import type { Service } from "../../provider/elastic/target";
import type { HttpResponse } from "../../provider/elastic/transport";

const id = "VuaCfGcBCdbkQm-e5aOx";
const apiKey = "ui2lp2axTNmsyakw9tvNnw";
const encoded = Buffer.from(`${id}:${apiKey}`).toString("base64");
const enrollmentToken = Buffer.from(`Hk3bWZABc9eGtrRz1xYq:${apiKey}`).toString("base64");
/** Every form of the secrets that must never be printed: the key, its encoded form, and the base64 of `id:`. */
const SECRETS = [apiKey, encoded, encoded.slice(0, 28), enrollmentToken];
const created = { id, name: "ingest", api_key: apiKey, encoded };

const ES = { product: "Elasticsearch" };
const KIBANA = { kibanaName: "kibana" };
function answer(status: number, body: unknown, headers: Partial<HttpResponse> = ES): HttpResponse {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  return {
    status,
    body: typeof body === "string" ? undefined : body,
    text,
    contentType: typeof body === "string" ? "text/html" : "application/json",
    endpoint: "POST http://127.0.0.1:9200/_security/api_key",
    origin: { service: "Elasticsearch", setting: "env ELASTICSEARCH_ENDPOINTS" },
    ...headers,
  };
}
const html = (body: unknown) =>
  `<html><body><h1>Upstream answered</h1><pre>${JSON.stringify(body).replace(/"/g, "&quot;")}</pre></body></html>`;

const keySchema = z.object({ id: z.string(), name: z.string(), api_key: z.string(), encoded: z.string() });
function outcome(res: HttpResponse, service: Service = "Elasticsearch"): ElasticKeysError | unknown {
  try {
    return expectCreated(res, service, keySchema, "creating the API key failed");
  } catch (err) {
    return err;
  }
}
const expectNoSecret = (text: string) => {
  for (const s of SECRETS) expect(text).not.toContain(s);
};

describe("what of an answer may be printed", () => {
  it("a body without Elastic's error fields is shown with its secret fields redacted, nested and of any type", () => {
    const body = {
      item: { ...created, api_key: [apiKey], nested: { encoded: { value: encoded } } },
      list: [{ access_token: enrollmentToken, refresh_token: "x" }],
      api_key_id: id,
    };
    const message = elasticMessage(answer(500, body));
    expectNoSecret(message);
    expect(message).toContain('"api_key":"[redacted]"');
    expect(message).toContain('"name":"ingest"'); // what is not secret stays readable
  });

  it("an HTML page quoting a create's body shows no secret, even cut in the middle of one", () => {
    const message = elasticMessage(answer(502, html({ ...created, padding: "p".repeat(60) })));
    expect(message).toMatch(/^the response was not JSON \(content-type "text\/html"\): Upstream answered/);
    expectNoSecret(message);
    const cut = html(created);
    expectNoSecret(elasticMessage(answer(502, cut.slice(0, cut.indexOf(encoded) + 30))));
  });

  it("a Kibana Boom with token fields shows its message, never the tokens", () => {
    const boom = {
      statusCode: 500,
      error: "Internal Server Error",
      message: `failed after creating the key: {"api_key":"${enrollmentToken}","token":"${apiKey}"}`,
      attributes: { item: { api_key: enrollmentToken } },
    };
    const message = elasticMessage(answer(500, boom, KIBANA));
    expect(message).toMatch(/^failed after creating the key/);
    expectNoSecret(message);
  });

  it("Elastic's own error words are kept as they are", () => {
    const es = { error: { type: "illegal_argument_exception", reason: "api key [x] has no name" }, status: 400 };
    expect(elasticMessage(answer(400, es))).toBe("api key [x] has no name");
  });
});

describe("what an answer to a create proves", () => {
  it("a 2xx from Elasticsearch of the known shape is the created key", () => {
    expect(outcome(answer(200, created))).toEqual(created);
  });

  it.each<[string, HttpResponse]>([
    ["the product header dropped", answer(200, created, {})],
    ["a field's type changed", answer(200, { ...created, id: [id], api_key: [apiKey] })],
    ["an HTML page", answer(200, html(created))],
    ["the same body under status 500", answer(500, created)],
    ["the same body under status 400", answer(400, created)],
    ["a 404 page from a proxy", answer(404, "<html><body>Not Found</body></html>", {})],
    ["a 409 without the product header", answer(409, { error: "conflict" }, {})],
    ["a 408", answer(408, { error: { type: "timeout", reason: "request timed out" } })],
    ["a 429", answer(429, { error: { type: "es_rejected_execution_exception", reason: "busy" } })],
    ["a 3xx", answer(302, "", { product: "Elasticsearch" })],
  ])("an answer with %s is a lost answer: outcome_unknown, no secret printed", (_what, res) => {
    const err = outcome(res);
    expect(err).toBeInstanceOf(ElasticKeysError);
    expect((err as ElasticKeysError).code).toBe("outcome_unknown");
    expectNoSecret((err as Error).message);
    expectNoSecret(JSON.stringify((err as ElasticKeysError).details));
  });

  it.each([400, 401, 403, 404, 409])("Elasticsearch's own %i refuses the create: not settled by mark", (status) => {
    const err = outcome(answer(status, { error: { type: "x", reason: "refused" }, status }));
    expect((err as ElasticKeysError).code).not.toBe("outcome_unknown");
    expect((err as Error).message).toContain("Elastic says: refused");
  });

  it("Fleet's own refusal (a Boom from Kibana) proves failure; Fleet's success without kbn-name does not", () => {
    const boom = { statusCode: 400, error: "Bad Request", message: "Agent policy p not found" };
    expect((outcome(answer(400, boom, KIBANA), "Fleet") as ElasticKeysError).code).toBe("invalid_input");
    const item = z.object({ item: z.object({ id: z.string(), api_key: z.string() }) });
    const res = answer(200, { item: { id: "k", api_key: enrollmentToken } }, {});
    const err = (() => {
      try {
        return expectCreated(res, "Fleet", item, "creating the enrollment key failed");
      } catch (e) {
        return e as ElasticKeysError;
      }
    })();
    expect((err as ElasticKeysError).code).toBe("outcome_unknown");
    expectNoSecret((err as Error).message);
  });

  it("an answer from the other service proves the create never reached its API", () => {
    const kibana404 = { statusCode: 404, error: "Not Found", message: "Not Found" };
    expect((outcome(answer(404, kibana404, KIBANA)) as ElasticKeysError).code).toBe("unexpected_answer");
  });
});
