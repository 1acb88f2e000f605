// Public entry point of the Elastic emulator: startEmulator() runs an Elasticsearch listener and a Kibana
// listener over one in-process state (see README.md).
import { AdminApiKey, AdminState, EmulatorAdmin, createAdmin, handleAdminRequest } from "./admin";
import { createEsApp } from "./es/app";
import { FaultInjector, FaultRule } from "./faults";
import { createKibanaApp } from "./kibana/app";
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
}

export interface Emulator {
  esUrl: string;
  kibanaUrl: string;
  superuser: { username: string; password: string };
  caCertPem?: string;
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
  const tls = cert ? { key: cert.keyPem, cert: cert.certPem } : undefined;
  const es = new Listener(createEsApp(state), runtime, tls);
  const kibana = new Listener(createKibanaApp(state), runtime, tls);
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

  const scheme = tls ? "https" : "http";
  const urlHost = host.includes(":") ? `[${host}]` : host;
  const emulator: Emulator = {
    esUrl: `${scheme}://${urlHost}:${esPort}`,
    kibanaUrl: `${scheme}://${urlHost}:${kibanaPort}`,
    superuser: { username: "elastic", password },
    admin,
    stop: async () => {
      await Promise.all([es.close(), kibana.close()]);
    },
  };
  if (cert) emulator.caCertPem = cert.certPem;
  return emulator;
}
