// Shared helpers for the conformance suites: one emulator per file, small HTTP clients that return status,
// headers and parsed JSON, and set-up shortcuts (users, roles) through the real APIs.
import { afterAll, beforeAll } from "vitest";
import { Emulator, EmulatorOptions, startEmulator } from "../../emulator";

/** Parsed JSON, indexable without casts in assertions (tests only read it). */
export type Loose = { readonly [key: string]: Loose } & { readonly [index: number]: Loose } & {
  readonly length: number;
};

export interface Reply {
  status: number;
  headers: Headers;
  body: Loose;
  text: string;
}

export type Auth = { username: string; password: string } | { apiKey: string } | null;

export function authHeader(auth: Auth): Record<string, string> {
  if (auth === null) return {};
  if ("apiKey" in auth) return { authorization: `ApiKey ${auth.apiKey}` };
  return { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}` };
}

export interface CallOptions {
  auth?: Auth;
  headers?: Record<string, string>;
  /** Raw body text, sent as is (for malformed JSON and content-type tests). */
  raw?: string;
}

export class Client {
  constructor(
    readonly baseUrl: string,
    readonly defaultAuth: Auth,
    readonly defaultHeaders: Record<string, string> = {},
  ) {}

  async call(method: string, path: string, body?: unknown, options: CallOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = {
      ...this.defaultHeaders,
      ...authHeader(options.auth === undefined ? this.defaultAuth : options.auth),
      ...options.headers,
    };
    let payload: string | undefined = options.raw;
    if (body !== undefined) payload = JSON.stringify(body);
    if (payload !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) {
      headers["content-type"] = "application/json";
    }
    const res = await fetch(this.baseUrl + path, { method, headers, body: payload });
    const text = await res.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    return { status: res.status, headers: res.headers, body: parsed as Loose, text };
  }

  get = (path: string, options?: CallOptions) => this.call("GET", path, undefined, options);
  post = (path: string, body?: unknown, options?: CallOptions) => this.call("POST", path, body, options);
  put = (path: string, body?: unknown, options?: CallOptions) => this.call("PUT", path, body, options);
  delete = (path: string, body?: unknown, options?: CallOptions) => this.call("DELETE", path, body, options);
}

export interface Harness {
  emulator: Emulator;
  es: Client;
  kibana: Client;
  superuser: { username: string; password: string };
}

export async function startHarness(options: EmulatorOptions = {}): Promise<Harness> {
  const emulator = await startEmulator(options);
  return {
    emulator,
    superuser: emulator.superuser,
    es: new Client(emulator.esUrl, emulator.superuser),
    kibana: new Client(emulator.kibanaUrl, emulator.superuser, { "kbn-xsrf": "true" }),
  };
}

/** One harness per emulated version (ES and Kibana alike), started before the file's tests and stopped after. */
export function harnessPerVersion<V extends string>(versions: readonly V[]): (version: V) => Harness {
  const started = new Map<V, Harness>();
  beforeAll(async () => {
    for (const v of versions) started.set(v, await startHarness({ esVersion: v }));
  });
  afterAll(async () => {
    for (const h of started.values()) await h.emulator.stop();
  });
  return (version) => started.get(version) as Harness;
}

export const TEST_PASSWORD = "x-pack-test-password";

/** Creates a role and a native user holding it; returns the user's credentials. */
export async function userWithRole(
  h: Harness,
  username: string,
  role: Record<string, unknown> | null,
  roleName = `${username}_role`,
): Promise<{ username: string; password: string }> {
  if (role) {
    const put = await h.es.put(`/_security/role/${roleName}`, role);
    if (put.status !== 200) throw new Error(`role set-up failed: ${put.text}`);
  }
  const user = await h.es.put(`/_security/user/${username}`, {
    password: TEST_PASSWORD,
    roles: role ? [roleName] : [],
  });
  if (user.status !== 200) throw new Error(`user set-up failed: ${user.text}`);
  return { username, password: TEST_PASSWORD };
}

export const APM_AGENT_KEY_ROLE = {
  cluster: ["manage_own_api_key"],
  applications: [
    { application: "apm", privileges: ["event:write", "config_agent:read"], resources: ["*"] },
    { application: "kibana-.kibana", privileges: ["feature_apm.all"], resources: ["space:default"] },
  ],
};

export function encodedOf(id: string, apiKey: string): string {
  return Buffer.from(`${id}:${apiKey}`).toString("base64");
}
