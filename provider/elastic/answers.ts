// What Elastic's answers mean: Elastic's own message from an error body, whether an answer came from the service we
// meant to reach, the proof that an object does not exist, and bodies validated at the boundary (zod) instead of
// cast. Endpoint functions (elasticsearch.ts, kibana.ts) build on these.
import type { z } from "zod";
import type { Service } from "./target";
import { ElasticKeysError, type ErrorCode } from "./errors";
import type { HttpResponse } from "./transport";
import { redactBody, redactSecretPairs, redactTokens } from "./answer-secrets";

/**
 * Elastic's own words from an error response: ES envelope, ES plain-string error, Kibana Boom, or a non-JSON page.
 * Never a secret the answer holds (answer-secrets.ts): a body without Elastic's error fields is shown with its
 * secret-named fields and token-like values removed, and so is a page's snippet.
 */
export function elasticMessage(res: HttpResponse): string {
  return redactSecretPairs(ownWords(res));
}

function ownWords(res: HttpResponse): string {
  const b = res.body as Record<string, unknown> | undefined;
  if (b && typeof b === "object") {
    if (typeof b.statusCode === "number" && typeof b.message === "string") return b.message; // Kibana Boom
    const err = b.error as Record<string, unknown> | string | undefined;
    if (typeof err === "string") return err;
    if (err && typeof err === "object") {
      const cause = (err.caused_by as { reason?: string } | undefined)?.reason;
      const reason = String(err.reason ?? err.type ?? "");
      return cause && !reason.includes(cause) ? `${reason} (caused by: ${cause})` : reason;
    }
    if (typeof b.message === "string") return b.message;
    return JSON.stringify(redactBody(b)).slice(0, 300);
  }
  const snippet = redactTokens(redactSecretPairs(res.text.replace(/<[^>]*>/g, " ")))
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 200);
  return `the response was not JSON (content-type "${res.contentType || "none"}")${snippet ? `: ${snippet}` : ""}`;
}

/** Every Elasticsearch response carries `X-Elastic-Product: Elasticsearch` (docs/elastic-api.md 0.2). */
export const fromElasticsearch = (res: HttpResponse): boolean => res.product === "Elasticsearch";

/** Kibana answers carry `kbn-name`, and its errors are Boom objects. */
export function fromKibana(res: HttpResponse): boolean {
  const b = res.body as { statusCode?: unknown; error?: unknown } | undefined;
  return res.kibanaName !== undefined || (typeof b?.statusCode === "number" && typeof b?.error === "string");
}

/** Kibana's answer for a route it does not have (a wrong path prefix, or a Kibana without Fleet). */
const kibanaUnknownRoute = (res: HttpResponse): boolean =>
  res.status === 404 && fromKibana(res) && (res.body as { message?: unknown }).message === "Not Found";

/** When an answer is not the one the API gives, what most likely answered instead, and what to check. */
export function whoAnswered(res: HttpResponse, expected: Service): string {
  // The setting to fix is the one that supplied the URL (Fleet without its own endpoint is reached at Kibana's).
  const setting = res.origin.setting;
  if (expected === "Elasticsearch" && !fromElasticsearch(res)) {
    if (fromKibana(res))
      return `the answer came from Kibana, not Elasticsearch: set ${setting} to Elasticsearch's URL (are the Elasticsearch and Kibana URLs swapped?)`;
    return `the answer did not come from Elasticsearch (no X-Elastic-Product header): a proxy, load balancer or another service answers at that URL; check ${setting}`;
  }
  if (expected !== "Elasticsearch") {
    if (fromElasticsearch(res))
      return `the answer came from Elasticsearch, not Kibana: set ${setting} to Kibana's URL (are the Elasticsearch and Kibana URLs swapped?)`;
    if (kibanaUnknownRoute(res))
      return `Kibana has no such route: check the path in ${setting} (a base path such as /kibana missing, or one too many)`;
    if (!fromKibana(res))
      return `the answer did not come from Kibana: a proxy, load balancer or another service answers at that URL; check ${setting}`;
  }
  return "";
}

function codeFor(status: number): ErrorCode {
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  if (status === 404) return "not_found";
  if (status === 409) return "conflict";
  if (status >= 500) return "server_error";
  return "invalid_input";
}

/** The error for an answer the caller did not expect. `service` lets it say what answered instead. */
export function unexpected(
  res: HttpResponse,
  summary: string,
  options: { fix?: string; service?: Service; code?: ErrorCode } = {},
): ElasticKeysError {
  const notElastic = options.service ? whoAnswered(res, options.service) : "";
  return new ElasticKeysError(notElastic ? "unexpected_answer" : (options.code ?? codeFor(res.status)), summary, {
    endpoint: res.endpoint,
    status: res.status,
    elasticMessage: elasticMessage(res),
    fix: notElastic || options.fix || fixFor(res),
  });
}

function fixFor(res: HttpResponse): string | undefined {
  if (res.status === 401)
    // Where the credential comes from depends on the front end: the lifecycle adds that (settings.ts).
    return "the credential was refused: check the username/password or API key settings (values are not shown)";
  if (res.status === 403) return "grant the missing privileges named above to the user or API key the provider runs as";
  if (res.body === undefined && res.text)
    return "the endpoint does not look like Elasticsearch/Kibana (a proxy or login page?): check the endpoint URL";
  return undefined;
}

/**
 * Whether the status of an answer to a create says nothing about its outcome: a 5xx, 408 or 429 may come after the
 * server committed the write (a proxy's timeout, a node failing while answering), and so may anything that is
 * neither a success nor a refusal. Settling by the create's mark is always safe (create-and-reconcile.ts).
 */
export const createStatusProvesNothing = (status: number): boolean =>
  !(status >= 200 && status < 300) && !(status >= 400 && status < 500 && status !== 408 && status !== 429);

/** Elastic's error shapes: an ES envelope or plain-string error, or a Kibana Boom object. */
function isErrorBody(body: unknown): boolean {
  const b = body as Record<string, unknown> | undefined;
  if (!b || typeof b !== "object") return false;
  return (
    (typeof b.statusCode === "number" && typeof b.message === "string") || (!!b.error && typeof b.error !== "number")
  );
}

/**
 * Whether a 4xx answer to a create proves it was refused: Elastic's own error body from the service meant (its product
 * header), or an answer from the other service (the request never reached the API it creates with).
 */
function provesRefusal(res: HttpResponse, service: Service): boolean {
  if (createStatusProvesNothing(res.status) || !isErrorBody(res.body)) return false;
  if (service === "Elasticsearch") return fromElasticsearch(res) || fromKibana(res);
  return fromKibana(res) || fromElasticsearch(res);
}

/** A create's answer that proves neither success nor refusal: settled by the create's mark like a lost answer. */
export function lostCreateAnswer(
  res: HttpResponse,
  why: string,
  details: { retryAfterMs?: number; summary?: string } = {},
): ElasticKeysError {
  return new ElasticKeysError(
    "outcome_unknown",
    `${details.summary ? `${details.summary}: ` : ""}the create answered HTTP ${res.status}, which does not prove whether it was applied (${why})`,
    {
      endpoint: res.endpoint,
      status: res.status,
      elasticMessage: elasticMessage(res),
      retryAfterMs: details.retryAfterMs,
    },
  );
}

/** Where a body differs from the shape expected, e.g. `id: Invalid input: expected string, received array`. */
function firstIssue(error: z.ZodError): string {
  const where = error.issues[0];
  return `${where.path.join(".") || "(body)"}: ${where.message}`;
}

/**
 * The body of a create's answer, when it proves the create was carried out: a 2xx from the service meant, of the
 * shape the API gives. A refusal that the server proves (see provesRefusal) is an error as with expectBody; every other
 * answer (any 5xx, 408, 429, a page from a proxy, a missing product header, a body of an unknown shape) is
 * outcome_unknown, which the create settles by its mark: its secret is never taken from an answer it cannot trust.
 */
export function expectCreated<T>(
  res: HttpResponse,
  service: Service,
  schema: z.ZodType<T>,
  summary: string,
  fix?: string,
): T {
  const ok = res.status >= 200 && res.status < 300;
  if (!ok && provesRefusal(res, service)) throw unexpected(res, summary, { fix, service });
  const notElastic = whoAnswered(res, service);
  if (!ok) throw lostCreateAnswer(res, notElastic || `${service} did not refuse it`, { summary });
  if (notElastic) throw lostCreateAnswer(res, notElastic, { summary });
  const parsed = schema.safeParse(res.body);
  if (!parsed.success) {
    const what = res.body === undefined ? "not JSON" : firstIssue(parsed.error);
    throw lostCreateAnswer(res, `${service} answered in a shape this provider does not know (${what})`, { summary });
  }
  return parsed.data;
}

/** A 2xx body of the given shape from the given service, or an error naming the endpoint, status and message. */
export function expectBody<T>(
  res: HttpResponse,
  service: Service,
  schema: z.ZodType<T>,
  summary: string,
  fix?: string,
): T {
  if (res.status < 200 || res.status >= 300) throw unexpected(res, summary, { fix, service });
  const notElastic = whoAnswered(res, service);
  if (notElastic) throw unexpected(res, `${summary}: the answer is not ${service}'s`, { service });
  const parsed = schema.safeParse(res.body);
  if (!parsed.success) {
    throw new ElasticKeysError(
      "unexpected_answer",
      `${summary}: ${service} answered in a shape this provider does not know`,
      {
        endpoint: res.endpoint,
        status: res.status,
        elasticMessage: firstIssue(parsed.error),
        fix: "check that the endpoint is Elasticsearch/Kibana 8.14 or later (see README, Known limits)",
      },
    );
  }
  return parsed.data;
}
