// Public entry point of the Elastic emulator: startEmulator() runs an Elasticsearch listener and a Kibana
// listener over one in-process state (see README.md).
import { AdminApiKey, AdminState, EmulatorAdmin, createAdmin, handleAdminRequest } from "./admin";
import { createEsApp } from "./es/app";
import { FaultInjector, FaultRule } from "./faults";
import { createKibanaApp } from "./kibana/app";
import type { EmuResponse } from "./http-types";
import { Listener, ListenerRuntime } from "./server";
import { RequestLog, RequestLogEntry } from "./request-log";
import { EmulatorState } from "./state";
import { generateSelfSignedCertificate } from "./tls";

export type { AdminApiKey, AdminState, EmulatorAdmin, FaultRule, RequestLogEntry };
export type { Garble } from "./garble";

export interface EmulatorOptions {
  esPort?: number;
  kibanaPort?: number;
  host?: string;
  tls?: boolean;
  superuserPassword?: string;
  esVersion?: string;
  kibanaVersion?: string;
  restrictInternalApis?: boolean;
  /** Kibana's `server.basePath` (with `rewriteBasePath`), e.g. "/kibana": Kibana answers only below it. */
  kibanaBasePath?: string;
  /** The path a proxy in front of Elasticsearch adds, e.g. "/es": Elasticsearch is reached only below it. */
  esPathPrefix?: string;
  /** With `tls`: Kibana's certificate comes from a CA of its own (`kibanaCaCertPem`), not Elasticsearch's. */
  kibanaOwnCa?: boolean;
}

export interface Emulator {
  esUrl: string;
  kibanaUrl: string;
  superuser: { username: string; password: string };
  /** The CA that signed Elasticsearch's certificate (and Kibana's, unless `kibanaOwnCa`). */
  caCertPem?: string;
  /** The CA that signed Kibana's certificate. */
  kibanaCaCertPem?: string;
  admin: EmulatorAdmin;
  stop(): Promise<void>;
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const host = opts.host ?? "127.0.0.1";
  const password = opts.superuserPassword ?? process.env.EMULATOR_PASSWORD ?? "changeme";
  const esVersion = opts.esVersion ?? "8.15.0";
  const state = new EmulatorState({
    superuserPassword: password,
    esVersion,
    kibanaVersion: opts.kibanaVersion ?? esVersion,
    restrictInternalApis: opts.restrictInternalApis ?? false,
  });
  const faults = new FaultInjector();
  const log = new RequestLog();
  let latencyMs = 0;
  let connectionBase = { es: 0, kibana: 0 };
  const runtime: ListenerRuntime = {
    faults,
    log,
    latencyMs: () => latencyMs,
    admin: (method, path, body) => handleAdminRequest(admin, method, path, body),
  };
  const cert = opts.tls ? generateSelfSignedCertificate() : undefined;
  const kibanaCert = cert && opts.kibanaOwnCa ? generateSelfSignedCertificate() : cert;
  const tlsOf = (c: typeof cert) => (c ? { key: c.keyPem, cert: c.certPem } : undefined);
  const esPrefix = pathPrefix(opts.esPathPrefix, "esPathPrefix");
  const kibanaBasePath = pathPrefix(opts.kibanaBasePath, "kibanaBasePath");
  const es = new Listener(
    createEsApp(state),
    runtime,
    tlsOf(cert),
    esPrefix ? { path: esPrefix, outside: PROXY_NOT_FOUND } : undefined,
  );
  const kibana = new Listener(
    createKibanaApp(state),
    runtime,
    tlsOf(kibanaCert),
    kibanaBasePath ? { path: kibanaBasePath, outside: KIBANA_NOT_FOUND } : undefined,
  );
  const admin = createAdmin({
    state,
    faults,
    log,
    connections: () => ({ es: es.connections - connectionBase.es, kibana: kibana.connections - connectionBase.kibana }),
    resetConnections: () => {
      connectionBase = { es: es.connections, kibana: kibana.connections };
    },
    setLatency: (ms) => {
      latencyMs = Math.max(0, ms);
    },
  });

  const esPort = await es.listen(opts.esPort ?? 0, host);
  let kibanaPort: number;
  try {
    kibanaPort = await kibana.listen(opts.kibanaPort ?? 0, host);
  } catch (error) {
    await es.close();
    throw error;
  }

  const scheme = cert ? "https" : "http";
  const urlHost = host.includes(":") ? `[${host}]` : host;
  const emulator: Emulator = {
    esUrl: `${scheme}://${urlHost}:${esPort}${esPrefix ?? ""}`,
    kibanaUrl: `${scheme}://${urlHost}:${kibanaPort}${kibanaBasePath ?? ""}`,
    superuser: { username: "elastic", password },
    admin,
    stop: async () => {
      await Promise.all([es.close(), kibana.close()]);
    },
  };
  if (cert) emulator.caCertPem = cert.certPem;
  if (kibanaCert) emulator.kibanaCaCertPem = kibanaCert.certPem;
  return emulator;
}

/** "/kibana" from "/kibana" or "kibana/"; a base path is one or more path segments. */
function pathPrefix(raw: string | undefined, option: string): string | undefined {
  if (raw === undefined || raw === "") return undefined;
  const path = `/${raw.replace(/^\/+|\/+$/g, "")}`;
  if (path === "/" || !/^(\/[A-Za-z0-9._~-]+)+$/.test(path)) throw new Error(`${option} "${raw}" is not a URL path`);
  return path;
}

/**
 * Kibana's answer to a path outside `server.basePath` under `rewriteBasePath`: its plain 404
 * (src/core/packages/http/server-internal/src/http_server.ts, `setupBasePathRewrite`: `response.notFound()`).
 */
const KIBANA_NOT_FOUND: EmuResponse = {
  status: 404,
  body: { statusCode: 404, error: "Not Found", message: "Not Found" },
  headers: { "kbn-name": "kibana" },
};

/** A reverse proxy's own page for a path it does not forward: HTML, no `X-Elastic-Product`. */
const PROXY_NOT_FOUND: EmuResponse = {
  status: 404,
  text: "<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1></body></html>\n",
  headers: { "content-type": "text/html" },
};
