// The one HTTP layer. Keep-alive pool per origin, auth header, TLS, per-request timeout, and retries with
// exponential backoff + jitter honouring Retry-After, bounded by a total time budget. Non-idempotent requests
// (key creates) are never blindly retried after they may have reached the server: the caller gets an
// OutcomeUnknownError and reconciles (find and adopt or invalidate what the create may have made).
import type { Agent, Dispatcher } from "undici";
import type { Target } from "./connection";
import { ElasticKeysError } from "./errors";

// Loaded on the first request, not with the provider: a no-change preview makes none, and undici is most of the
// provider's own load time (~70 ms), which every preview would otherwise wait for before its first check.
let loaded: typeof import("undici") | undefined;
function undici(): typeof import("undici") {
  return (loaded ??= require("undici") as typeof import("undici"));
}

export type Method = "GET" | "POST" | "PUT" | "DELETE";

export interface HttpRequest {
  method: Method;
  /** Path below the target's base URL, already including any `/s/{space}` prefix. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** False for requests that create something: those are not retried once they may have reached the server. */
  idempotent: boolean;
}

export interface HttpResponse {
  status: number;
  /** Parsed JSON, or undefined when the body was empty or not JSON. */
  body: unknown;
  text: string;
  contentType: string;
  /** e.g. `POST https://es:9200/_security/api_key` — never with credentials. */
  endpoint: string;
}

/** A create that may or may not have been applied: the request was sent, then the answer was lost or a 5xx. */
export class OutcomeUnknownError extends ElasticKeysError {}

export interface HttpPolicy {
  timeoutMs: number;
  budgetMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

function envNumber(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v >= 0 ? v : fallback;
}

export function defaultPolicy(): HttpPolicy {
  return {
    timeoutMs: envNumber("ELASTIC_KEYS_HTTP_TIMEOUT_MS", 30_000),
    budgetMs: envNumber("ELASTIC_KEYS_HTTP_BUDGET_MS", 120_000),
    baseDelayMs: envNumber("ELASTIC_KEYS_HTTP_BASE_DELAY_MS", 200),
    maxDelayMs: 5_000,
  };
}

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
/** Errors raised before the request could reach the server: always safe to retry. */
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** TLS verification failures are permanent: retrying cannot help, the settings must change. */
const CERTIFICATE_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS_CERT_ALTNAME_INVALID|UNABLE_TO_GET_ISSUER/;

const pools = new Map<string, Agent>();

function dispatcherFor(target: Target): Dispatcher {
  const key = `${new URL(target.baseUrl).origin}|${target.insecure}|${target.caCert ?? ""}`;
  let agent = pools.get(key);
  if (!agent) {
    agent = new (undici().Agent)({
      keepAliveTimeout: 30_000,
      connections: 32,
      connect: { ca: target.caCert, rejectUnauthorized: !target.insecure },
    });
    pools.set(key, agent);
  }
  return agent;
}

/** Closes every pool (tests and short-lived processes). */
export async function closePools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((a) => a.close()));
}

function authorization(target: Target): string {
  const c = target.credentials;
  return c.kind === "apiKey"
    ? `ApiKey ${c.apiKey}`
    : `Basic ${Buffer.from(`${c.username}:${c.password}`).toString("base64")}`;
}

function urlFor(target: Target, req: HttpRequest): string {
  const url = new URL(target.baseUrl + req.path);
  for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
  return url.toString();
}

function headersFor(target: Target, req: HttpRequest): Record<string, string> {
  const headers: Record<string, string> = { authorization: authorization(target), accept: "application/json" };
  if (req.body !== undefined) headers["content-type"] = "application/json";
  if (target.service !== "Elasticsearch") {
    // Kibana gates: XSRF on every write, and the one public API version every route used here has.
    headers["kbn-xsrf"] = "pulumi-elastic-keys";
    headers["elastic-api-version"] = "2023-10-31";
  }
  return headers;
}

function retryAfterMs(header: string | string[] | undefined): number | undefined {
  const raw = Array.isArray(header) ? header[0] : header;
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function backoffMs(policy: HttpPolicy, attempt: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return ceiling / 2 + Math.random() * (ceiling / 2); // "equal jitter": never zero, never in lock-step
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function errorCode(err: unknown): string {
  const e = err as { code?: string; cause?: { code?: string } };
  return e?.code ?? e?.cause?.code ?? "UNKNOWN";
}

export async function send(
  target: Target,
  req: HttpRequest,
  policy: HttpPolicy = defaultPolicy(),
): Promise<HttpResponse> {
  const url = urlFor(target, req);
  const endpoint = `${req.method} ${url}`;
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    const remaining = policy.budgetMs - (Date.now() - started);
    let wait: number;
    try {
      const res = await undici().request(url, {
        method: req.method,
        headers: headersFor(target, req),
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
        dispatcher: dispatcherFor(target),
        headersTimeout: policy.timeoutMs,
        bodyTimeout: policy.timeoutMs,
        // undici closes the connection after a body sent with a method that "does not expect one", i.e. every
        // invalidation (DELETE /_security/api_key takes a JSON body): one new connection per deleted key. Elastic
        // reads these bodies, so the connection stays reusable.
        reset: req.method === "DELETE" && req.body !== undefined ? false : undefined,
      });
      const text = await res.body.text();
      const contentType = String(res.headers["content-type"] ?? "");
      const response: HttpResponse = {
        status: res.statusCode,
        body: parseJson(text, contentType),
        text,
        contentType,
        endpoint,
      };
      if (!RETRYABLE_STATUS.has(res.statusCode)) return response;
      // 429 means "not processed": safe for any request. A 5xx after a create may hide a committed write.
      if (!req.idempotent && res.statusCode !== 429) {
        throw new OutcomeUnknownError(`the create answered ${res.statusCode}; it may or may not have been applied`, {
          endpoint,
          status: res.statusCode,
          elasticMessage: elasticMessage(response),
        });
      }
      const hinted = retryAfterMs(res.headers["retry-after"]);
      wait = hinted ?? backoffMs(policy, attempt);
      if (wait > remaining) return response; // out of budget: let the caller report the last answer
    } catch (err) {
      if (err instanceof ElasticKeysError) throw err;
      const code = errorCode(err);
      if (CERTIFICATE_CODES.test(code)) {
        throw new ElasticKeysError(
          `the TLS certificate of ${target.service} at ${target.baseUrl} is not trusted (${code})`,
          {
            endpoint,
            fix: `give the server's CA certificate with the CA certificate setting of ${target.service} (PEM data or a file path; see README, Configuration), or, for testing only, set its insecure setting`,
          },
        );
      }
      const sent = !NOT_SENT_CODES.has(code);
      if (sent && !req.idempotent) {
        throw new OutcomeUnknownError(
          `the connection failed (${code}) after the create was sent; it may or may not have been applied`,
          { endpoint },
        );
      }
      wait = backoffMs(policy, attempt);
      if (wait > remaining) {
        throw new ElasticKeysError(`cannot reach ${target.service} at ${target.baseUrl} (${code})`, {
          endpoint,
          fix: `check that ${target.service} is running and that its endpoint setting is right; retried for ${Math.round((Date.now() - started) / 1000)}s`,
        });
      }
    }
    await sleep(wait);
  }
}

function parseJson(text: string, contentType: string): unknown {
  if (!text) return undefined;
  if (!/json/i.test(contentType) && !/^\s*[{[]/.test(text)) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Elastic's own words from an error response: ES envelope, ES plain-string error, Kibana Boom, or a non-JSON page. */
export function elasticMessage(res: HttpResponse): string {
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
    return JSON.stringify(b).slice(0, 300);
  }
  const snippet = res.text
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 200);
  return `the response was not JSON (content-type "${res.contentType || "none"}")${snippet ? `: ${snippet}` : ""}`;
}

/** The error for an answer the caller did not expect. */
export function unexpected(res: HttpResponse, summary: string, fix?: string): ElasticKeysError {
  return new ElasticKeysError(summary, {
    endpoint: res.endpoint,
    status: res.status,
    elasticMessage: elasticMessage(res),
    fix: fix ?? fixFor(res),
  });
}

function fixFor(res: HttpResponse): string | undefined {
  if (res.status === 401)
    return "the credential was refused: check the username/password or API key settings (values are not shown)";
  if (res.status === 403) return "grant the missing privileges named above to the user or API key the provider runs as";
  if (res.body === undefined && res.text)
    return "the endpoint does not look like Elasticsearch/Kibana (a proxy or login page?): check the endpoint URL";
  return undefined;
}

/** A 2xx JSON body, or an error naming the endpoint, the status and Elastic's message. */
export function expectJson<T>(res: HttpResponse, summary: string, fix?: string): T {
  if (res.status < 200 || res.status >= 300) throw unexpected(res, summary, fix);
  if (res.body === undefined) throw unexpected(res, `${summary}: the answer was not JSON`);
  return res.body as T;
}
