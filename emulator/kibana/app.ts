// The Kibana listener. Gates run in the order of docs/elastic-api.md 0.3: space prefix, authentication, payload,
// kbn-version and XSRF, internal origin, route privileges, API version; then the handler validates its own body.
import { authenticate } from "../auth";
import { BoomError, EsError, boom } from "../errors";
import { EmuRequest, EmuResponse, header, json } from "../http-types";
import { Json, JsonSyntaxError, parseJson } from "../json";
import { ListenerApp } from "../listener-app";
import { Principal } from "../principal";
import { Router } from "../router";
import { EmulatorState } from "../state";
import { KibanaRoute, PUBLIC_API_VERSION } from "./context";
import { checkApiPrivileges, checkFleetAuthz } from "./route-authz";
import { registerKibanaRoutes } from "./routes";

const SPACE_PREFIX = /^\/s\/([^/]+)(\/.*)?$/;

export function createKibanaApp(state: EmulatorState): ListenerApp {
  const router = new Router<KibanaRoute>();
  registerKibanaRoutes(router);

  function handle(req: EmuRequest): EmuResponse {
    try {
      const match = router.match(req.method, req.path);
      // Kibana (hapi) answers 404 for unknown paths and for known paths with another method.
      if (match.kind !== "found") throw boom.notFound();
      const route = match.handler;
      const principal = authenticateKibana(state, req);
      req.principal = principal;
      const body = parsePayload(req);
      checkVersionHeader(state, req);
      checkXsrf(req);
      checkInternalOrigin(state, req, route);
      const authz = route.authz(state.options.kibanaVersion);
      checkApiPrivileges(state, req, authz, principal);
      if (route.versioned) checkApiVersion(req);
      let authorized = false;
      const authorizeAfterValidation = () => {
        authorized = true;
        checkFleetAuthz(state, req, authz, principal);
      };
      const ctx = { state, req, params: match.params, principal, body, space: req.space, authorizeAfterValidation };
      const response = route.handler(ctx);
      // A Fleet route whose handler forgot its check would be open to anyone: fail loudly instead.
      if (authz.kind === "fleet" && !authorized) throw new Error(`${req.method} ${req.path} skipped Fleet's authz`);
      return route.versioned
        ? { ...response, headers: { ...response.headers, "elastic-api-version": PUBLIC_API_VERSION } }
        : response;
    } catch (error) {
      return boomResponse(error);
    }
  }

  return {
    name: "kibana",
    splitPath: (fullPath) => {
      const m = SPACE_PREFIX.exec(fullPath);
      if (!m) return { path: fullPath, space: "default" };
      let space = m[1] as string;
      try {
        space = decodeURIComponent(space);
      } catch {
        // keep the raw segment
      }
      return { path: m[2] ?? "/", space };
    },
    handle,
    faultResponse: (status) => boomResponse(new BoomError(status, `emulated fault [${status}]`)),
    tooLarge: (limit) =>
      boomResponse(new BoomError(413, `Payload content length greater than maximum allowed: ${limit}`)),
    // Kibana (a Node HTTP server) dates every answer; here by the emulator's clock, which tests move forward.
    commonHeaders: () => ({
      "content-type": "application/json; charset=utf-8",
      "kbn-name": "kibana",
      date: new Date(state.now()).toUTCString(),
    }),
  };
}

export function boomResponse(error: unknown): EmuResponse {
  if (error instanceof BoomError) return json(error.statusCode, error.toBody(), error.headers);
  const message = error instanceof Error ? error.message : String(error);
  return json(500, new BoomError(500, message).toBody());
}

function authenticateKibana(state: EmulatorState, req: EmuRequest): Principal {
  try {
    return authenticate(state, header(req, "authorization"), req.uri);
  } catch (error) {
    if (error instanceof EsError) throw boom.unauthorized();
    throw error;
  }
}

function parsePayload(req: EmuRequest): Json | undefined {
  const text = req.rawBody.toString("utf8");
  if (text.trim() === "") return undefined;
  const type = header(req, "content-type") ?? "";
  if (!/^application\/([\w.+-]*\+)?json\b/i.test(type.trim())) throw new BoomError(415, "Unsupported Media Type");
  try {
    return parseJson(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw boom.badRequest("Invalid request payload JSON format");
    throw error;
  }
}

function checkVersionHeader(state: EmulatorState, req: EmuRequest): void {
  const got = header(req, "kbn-version");
  const expected = state.options.kibanaVersion;
  if (got !== undefined && got !== expected) {
    throw boom.badRequest(
      `Browser client is out of date, please refresh the page ("kbn-version" header was "${got}" but should be "${expected}")`,
      {
        expected,
        got,
      },
    );
  }
}

function checkXsrf(req: EmuRequest): void {
  if (["GET", "HEAD", "OPTIONS"].includes(req.method)) return;
  // x-elastic-internal-origin does not satisfy the XSRF check (0.3 gate 3).
  if (header(req, "kbn-xsrf") !== undefined || header(req, "kbn-version") !== undefined) return;
  throw boom.badRequest("Request must contain a kbn-xsrf header.");
}

function checkInternalOrigin(state: EmulatorState, req: EmuRequest, route: KibanaRoute): void {
  if (route.access !== "internal" || !state.options.restrictInternalApis) return;
  if (header(req, "x-elastic-internal-origin") !== undefined) return;
  throw boom.badRequest(
    `uri [${req.path}] with method [${req.method.toLowerCase()}] exists but is not available with the current configuration`,
  );
}

function checkApiVersion(req: EmuRequest): void {
  if (req.query.has("apiVersion")) {
    throw boom.badRequest(
      'Use of query parameter "apiVersion" is not allowed. Please specify the API version using the "elastic-api-version" header.',
    );
  }
  const version = header(req, "elastic-api-version");
  if (version === undefined) return;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(version) || Number.isNaN(Date.parse(version))) {
    throw boom.badRequest(
      `Invalid version. Received "${version}", expected a valid date string formatted as YYYY-MM-DD.`,
    );
  }
  if (version !== PUBLIC_API_VERSION) {
    throw boom.badRequest(
      `No version "${version}" available for [${req.method.toLowerCase()}] [${req.path}]. Available versions are: [${PUBLIC_API_VERSION}]`,
    );
  }
}
