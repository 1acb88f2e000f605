// The Elasticsearch listener: routing (400/405 texts), content types (406), authentication (401), body parsing,
// then the endpoint handler. Every response carries X-Elastic-Product (docs/elastic-api.md 0.2).
import { authenticate } from "../auth";
import { EsError, EsRawError, illegalArgument } from "../errors";
import { EmuRequest, EmuResponse, header, json } from "../http-types";
import { Json, JsonSyntaxError, formatPosition, parseJson } from "../json";
import { ListenerApp } from "../listener-app";
import { Router } from "../router";
import { EmulatorState } from "../state";
import { versionAtLeast } from "../versions";
import { EsRoute } from "./context";
import { registerEsRoutes } from "./routes";

const GLOBAL_PARAMS = ["pretty", "human", "error_trace", "filter_path", "source", "source_content_type"];
const JSON_TYPES = /^application\/(json|vnd\.elasticsearch\+json\s*;\s*compatible-with\s*=\s*(7|8|9))\s*(;.*)?$/i;

export function createEsApp(state: EmulatorState): ListenerApp {
  const router = new Router<EsRoute>();
  registerEsRoutes(router);

  function handle(req: EmuRequest): EmuResponse {
    // HEAD is answered like GET (the clients' ping); Node drops the body.
    const served = (r: EsRoute) => !r.since || versionAtLeast(state.options.esVersion, r.since[0], r.since[1]);
    const match = router.match(req.method === "HEAD" ? "GET" : req.method, req.path, served);
    if (match.kind === "none") {
      return json(400, { error: `no handler found for uri [${req.uri}] and method [${req.method}]`, status: 400 });
    }
    if (match.kind === "wrong-method") {
      return json(405, {
        error: `Incorrect HTTP method for uri [${req.uri}] and method [${req.method}], allowed: [${match.allowed.join(", ")}]`,
        status: 405,
      });
    }
    try {
      if (match.handler.notEmulated) {
        const principal = authenticate(state, header(req, "authorization"), req.uri);
        return match.handler.handler({ state, req, params: match.params, principal, body: undefined });
      }
      rejectUnknownParams(req, match.handler.params);
      const contentTypeError = checkContentType(req);
      if (contentTypeError) return contentTypeError;
      const principal = authenticate(state, header(req, "authorization"), req.uri);
      req.principal = principal;
      const body = parseBody(req);
      return match.handler.handler({ state, req, params: match.params, principal, body });
    } catch (error) {
      return esErrorResponse(error);
    }
  }

  return {
    name: "es",
    splitPath: (fullPath) => ({ path: fullPath, space: "default" }),
    handle,
    faultResponse: (status) => esErrorResponse(faultError(status)),
    tooLarge: (limit) =>
      esErrorResponse(
        new EsError(413, "content_too_long_exception", `request content is too large, limit is [${limit}b]`),
      ),
    commonHeaders: (req) => ({ "x-elastic-product": "Elasticsearch", "content-type": responseContentType(req) }),
  };
}

/** Answers in the versioned media type when the client asked for it (official clients do). */
function responseContentType(req: EmuRequest): string {
  const accept = header(req, "accept") ?? "";
  const version = /vnd\.elasticsearch\+json\s*;\s*compatible-with\s*=\s*(\d+)/i.exec(accept)?.[1];
  return version ? `application/vnd.elasticsearch+json;compatible-with=${version}` : "application/json";
}

export function esErrorResponse(error: unknown): EmuResponse {
  if (error instanceof EsRawError) return json(error.status, error.body);
  if (error instanceof EsError) return json(error.status, error.toBody(), error.extra.responseHeaders);
  const reason = error instanceof Error ? error.message : String(error);
  return json(500, new EsError(500, "exception", reason).toBody());
}

function faultError(status: number): EsError {
  if (status === 429) {
    return new EsError(
      429,
      "es_rejected_execution_exception",
      "rejected execution of emulated request (fault injection)",
    );
  }
  if (status === 503)
    return new EsError(503, "cluster_block_exception", "blocked by: [SERVICE_UNAVAILABLE/1/emulated fault];");
  return new EsError(status, "status_exception", `emulated fault [${status}]`);
}

function rejectUnknownParams(req: EmuRequest, allowed: readonly string[]): void {
  const unknown = [...new Set(req.query.keys())]
    .filter((k) => !allowed.includes(k) && !GLOBAL_PARAMS.includes(k))
    .sort();
  if (unknown.length === 0) return;
  const path = req.path;
  throw illegalArgument(
    unknown.length === 1
      ? `request [${path}] contains unrecognized parameter: [${unknown[0]}]`
      : `request [${path}] contains unrecognized parameters: ${unknown.map((u) => `[${u}]`).join(", ")}`,
  );
}

function checkContentType(req: EmuRequest): EmuResponse | undefined {
  if (req.rawBody.length === 0) return undefined;
  const type = header(req, "content-type");
  if (type === undefined) return json(406, { error: "Content-Type header is missing", status: 406 });
  if (!JSON_TYPES.test(type.trim()))
    return json(406, { error: `Content-Type header [${type}] is not supported`, status: 406 });
  return undefined;
}

function parseBody(req: EmuRequest): Json | undefined {
  const text = req.rawBody.toString("utf8");
  if (text.trim() === "") return undefined;
  try {
    return parseJson(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) {
      throw new EsError(400, "x_content_parse_exception", `${formatPosition(error.position)} ${error.message}`);
    }
    throw error;
  }
}
