// Where the integration suites run: the project's emulator by default, or a real stack when
// ELASTICSEARCH_ENDPOINTS and KIBANA_ENDPOINT (plus ELASTICSEARCH_USERNAME/PASSWORD of a superuser) are set — the
// acceptance mode. Emulator-only assertions check `target.emulator` and skip themselves on a real stack.
import { Agent, request } from "undici";
import { startEmulator, type Emulator, type EmulatorOptions } from "../../emulator";

export interface Reply {
  status: number;
  body: unknown;
}

export type Auth = { username: string; password: string } | { apiKey: string };

export interface ElasticTarget {
  mode: "emulator" | "real";
  esUrl: string;
  kibanaUrl: string;
  superuser: { username: string; password: string };
  caCertPem?: string;
  /** Kibana's CA when it differs from Elasticsearch's (the emulator's `kibanaOwnCa`). */
  kibanaCaCertPem?: string;
  /** Elasticsearch's version (`GET /`), e.g. "8.14.0": the emulator's is $ELASTIC_KEYS_EMULATOR_VERSION or its default. */
  version: string;
  /** Whether that version is at least major.minor. */
  atLeast(major: number, minor: number): boolean;
  /** Present only against the emulator: its admin surface (state, request log, faults). */
  emulator?: Emulator;
  /** Env for the provider process (the Terraform-compatible names), as a given user. */
  providerEnv(auth?: Auth): Record<string, string>;
  es(method: string, path: string, body?: unknown, auth?: Auth): Promise<Reply>;
  kibana(method: string, path: string, body?: unknown, auth?: Auth): Promise<Reply>;
  stop(): Promise<void>;
}

/**
 * The version the whole engine suite emulates (README, Tested against): the newest the emulator models. The runner's
 * version legs run the resource-promise files at the other edges of the range with $ELASTIC_KEYS_EMULATOR_VERSION.
 */
export const FULL_SUITE_VERSION = "9.2.0";

/** The version every emulator an engine test starts emulates. */
export const emulatorVersion = (): string => process.env.ELASTIC_KEYS_EMULATOR_VERSION || FULL_SUITE_VERSION;

/**
 * For tests of what does not depend on the server's version (preview validation): run in the full suite only, not
 * again in each version leg.
 */
export const sameAtEveryVersion = {
  skip:
    !acceptanceModeEnv() && emulatorVersion() !== FULL_SUITE_VERSION
      ? `the same at every version: runs in the full suite (${FULL_SUITE_VERSION})`
      : false,
};

function acceptanceModeEnv(): boolean {
  return !!process.env.ELASTICSEARCH_ENDPOINTS && !!process.env.KIBANA_ENDPOINT;
}

export const acceptanceMode = (): boolean => !!process.env.ELASTICSEARCH_ENDPOINTS && !!process.env.KIBANA_ENDPOINT;

function authHeader(auth: Auth): string {
  return "apiKey" in auth
    ? `ApiKey ${auth.apiKey}`
    : `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}`;
}

/** The target: a real stack in acceptance mode, else a new emulator (started with `emulatorOptions`). */
export async function startTarget(emulatorOptions: EmulatorOptions = {}): Promise<ElasticTarget> {
  let emulator: Emulator | undefined;
  let esUrl: string;
  let kibanaUrl: string;
  let superuser: { username: string; password: string };
  let caCertPem: string | undefined;
  let kibanaCaCertPem: string | undefined;
  if (acceptanceMode()) {
    esUrl = process.env.ELASTICSEARCH_ENDPOINTS!.split(",")[0].trim().replace(/\/+$/, "");
    kibanaUrl = process.env.KIBANA_ENDPOINT!.replace(/\/+$/, "");
    superuser = {
      username: process.env.ELASTICSEARCH_USERNAME ?? "elastic",
      password: process.env.ELASTICSEARCH_PASSWORD ?? "",
    };
  } else {
    emulator = await startEmulator({ esVersion: emulatorVersion(), ...emulatorOptions });
    ({ esUrl, kibanaUrl, superuser, caCertPem, kibanaCaCertPem } = emulator);
  }
  const agent = (ca: string | undefined) =>
    new Agent({ connect: { rejectUnauthorized: process.env.ELASTICSEARCH_INSECURE !== "true", ca } });
  const esDispatcher = agent(caCertPem);
  const kibanaDispatcher = kibanaCaCertPem === caCertPem ? esDispatcher : agent(kibanaCaCertPem);
  const call = async (
    base: string,
    kibanaHeaders: boolean,
    method: string,
    path: string,
    body?: unknown,
    auth: Auth = superuser,
  ): Promise<Reply> => {
    const headers: Record<string, string> = { authorization: authHeader(auth) };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (kibanaHeaders) headers["kbn-xsrf"] = "test";
    const res = await request(base + path, {
      method: method as "GET",
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      dispatcher: kibanaHeaders ? kibanaDispatcher : esDispatcher,
    });
    const text = await res.body.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // keep the text
    }
    return { status: res.statusCode, body: parsed };
  };
  const root = await call(esUrl, false, "GET", "/");
  const version = (root.body as { version?: { number?: string } } | undefined)?.version?.number ?? "";
  if (!version) throw new Error(`GET ${esUrl}/ did not give Elasticsearch's version (status ${root.status})`);
  const [major = 0, minor = 0] = version.split(".").map(Number);
  return {
    version,
    atLeast: (ma, mi) => major > ma || (major === ma && minor >= mi),
    kibanaCaCertPem,
    mode: emulator ? "emulator" : "real",
    esUrl,
    kibanaUrl,
    superuser,
    caCertPem,
    emulator,
    providerEnv(auth: Auth = superuser) {
      const creds: Record<string, string> =
        "apiKey" in auth
          ? { ELASTICSEARCH_API_KEY: auth.apiKey }
          : { ELASTICSEARCH_USERNAME: auth.username, ELASTICSEARCH_PASSWORD: auth.password };
      return {
        ELASTICSEARCH_ENDPOINTS: esUrl,
        KIBANA_ENDPOINT: kibanaUrl,
        ...creds,
        ELASTIC_KEYS_HTTP_BASE_DELAY_MS: "20",
      };
    },
    es: (m, p, b, a) => call(esUrl, false, m, p, b, a),
    kibana: (m, p, b, a) => call(kibanaUrl, true, m, p, b, a),
    async stop() {
      await Promise.all([...new Set([esDispatcher, kibanaDispatcher])].map((d) => d.close()));
      await emulator?.stop();
    },
  };
}

/** A unique suffix so runs against a shared real stack never collide. */
export function unique(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}

/**
 * One target per test file: started before the file's tests, stopped after. The returned object is filled in when
 * the target has started, so tests use it directly (`t.es(…)`, `t.emulator?.admin`).
 */
export function useTarget(hooks: {
  before: (fn: () => Promise<void>) => void;
  after: (fn: () => Promise<void>) => void;
}): ElasticTarget {
  const holder = {} as ElasticTarget;
  hooks.before(async () => {
    Object.assign(holder, await startTarget());
  });
  hooks.after(async () => {
    await holder.stop();
  });
  return holder;
}
