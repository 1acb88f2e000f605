// One HTTP exchange with one node: keep-alive pools per origin, the auth header, Kibana's request headers, TLS and a
// timeout. It knows nothing of Elastic's answers (answers.ts) or of retrying (retry.ts).
import type { Dispatcher } from "undici";
import type { EndpointOrigin, Target } from "./target";

// Loaded on the first request, not with the provider: a no-change preview makes none, and undici is most of the
// provider's own load time (~70 ms), which every preview would otherwise wait for before its first check. Node's
// module cache makes every later call a lookup.
function undici(): typeof import("undici") {
  return require("undici") as typeof import("undici");
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
  /** Sent without the credential (service-proof.ts: asking who answers at a URL the settings no longer name). */
  anonymous?: boolean;
}

export interface HttpResponse {
  status: number;
  /** Parsed JSON, or undefined when the body was empty or not JSON. */
  body: unknown;
  text: string;
  contentType: string;
  /** `X-Elastic-Product`, which every Elasticsearch response carries. */
  product?: string;
  /** `kbn-name`, which every Kibana response carries. */
  kibanaName?: string;
  /** `Date`: the server's clock when it answered (Kibana sends it; README, Rotation). */
  date?: string;
  /** e.g. `POST https://es:9200/_security/api_key` — never with credentials. */
  endpoint: string;
  /** What the user configured that URL as (the setting to fix when something else answers there). */
  origin: EndpointOrigin;
}

/** A failed exchange: no answer arrived. */
export interface ExchangeFailure {
  code: string;
  /** False when the request provably never reached the server (refused, not resolvable, unreachable). */
  sent: boolean;
  /** The server's certificate is not trusted: retrying cannot help. */
  certificate: boolean;
  /** The request was sent and no answer came within the timeout: the server may still be working on it. */
  timedOut: boolean;
  cause: unknown;
}

/** Errors raised before the request could reach the server: always safe to retry, on the same or another node. */
const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);
const TIMEOUT_CODES: ReadonlySet<string> = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);
const CERTIFICATE_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS_CERT_ALTNAME_INVALID|UNABLE_TO_GET_ISSUER/;

function dispatcherFor(target: Target, baseUrl: string): Dispatcher {
  const pools = target.session.pools;
  const key = `${new URL(baseUrl).origin}|${target.insecure}|${target.caCert ?? ""}`;
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

function authorization(target: Target): string {
  const c = target.credentials;
  return c.kind === "apiKey"
    ? `ApiKey ${c.apiKey}`
    : `Basic ${Buffer.from(`${c.username}:${c.password}`).toString("base64")}`;
}

export function urlFor(baseUrl: string, req: HttpRequest): string {
  const url = new URL(baseUrl + req.path);
  for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
  return url.toString();
}

function headersFor(target: Target, req: HttpRequest): Record<string, string> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (!req.anonymous) headers.authorization = authorization(target);
  if (req.body !== undefined) headers["content-type"] = "application/json";
  if (target.service !== "Elasticsearch") {
    // Kibana gates: XSRF on every write, and the one public API version every route used here has.
    headers["kbn-xsrf"] = "pulumi-elastic-keys";
    headers["elastic-api-version"] = "2023-10-31";
  }
  return headers;
}

function errorCode(err: unknown): string {
  const e = err as { code?: string; cause?: { code?: string } };
  return e?.code ?? e?.cause?.code ?? "UNKNOWN";
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
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

/** One request to one node. Resolves with the answer (any status), or rejects with an ExchangeFailure. */
export async function exchange(
  target: Target,
  baseUrl: string,
  req: HttpRequest,
  timeoutMs: number,
): Promise<HttpResponse & { retryAfter?: string }> {
  const url = urlFor(baseUrl, req);
  try {
    const res = await undici().request(url, {
      method: req.method,
      headers: headersFor(target, req),
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
      dispatcher: dispatcherFor(target, baseUrl),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      // undici closes the connection after a body sent with a method that "does not expect one", i.e. every
      // invalidation (DELETE /_security/api_key takes a JSON body): one new connection per deleted key. Elastic
      // reads these bodies, so the connection stays reusable.
      reset: req.method === "DELETE" && req.body !== undefined ? false : undefined,
    });
    const text = await res.body.text();
    const contentType = header(res.headers, "content-type") ?? "";
    return {
      status: res.statusCode,
      body: parseJson(text, contentType),
      text,
      contentType,
      product: header(res.headers, "x-elastic-product"),
      kibanaName: header(res.headers, "kbn-name"),
      date: header(res.headers, "date"),
      endpoint: `${req.method} ${url}`,
      origin: target.origin,
      retryAfter: header(res.headers, "retry-after"),
    };
  } catch (err) {
    const code = errorCode(err);
    const failure: ExchangeFailure = {
      code,
      sent: !NOT_SENT_CODES.has(code),
      certificate: CERTIFICATE_CODES.test(code),
      timedOut: TIMEOUT_CODES.has(code),
      cause: err,
    };
    throw failure;
  }
}

export function isExchangeFailure(err: unknown): err is ExchangeFailure {
  return !!err && typeof err === "object" && "sent" in err && "certificate" in err && "code" in err;
}
