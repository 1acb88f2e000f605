// Several clusters in one test: a second emulator beside the file's target, each asked as its superuser what it
// holds of one test's objects (names carrying the test's suffix), so a test can count what every cluster holds.
import { startEmulator, type Emulator } from "../../emulator";
import { emulatorVersion, type ElasticTarget } from "./target";

export interface Cluster {
  esUrl: string;
  kibanaUrl: string;
  es(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  kibana(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  /** Present for an emulator: its request log and faults. */
  emulator?: Emulator;
}

async function call(base: string, auth: string, kibana: boolean, method: string, path: string, body?: unknown) {
  const headers: Record<string, string> = { authorization: auth };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (kibana) headers["kbn-xsrf"] = "test";
  const res = await fetch(base + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

export function clusterOf(e: Emulator): Cluster {
  const auth = `Basic ${Buffer.from(`${e.superuser.username}:${e.superuser.password}`).toString("base64")}`;
  return {
    esUrl: e.esUrl,
    kibanaUrl: e.kibanaUrl,
    emulator: e,
    es: (m, p, b) => call(e.esUrl, auth, false, m, p, b),
    kibana: (m, p, b) => call(e.kibanaUrl, auth, true, m, p, b),
  };
}

/** The file's target as a Cluster (read when used: the target starts in the file's `before`). */
export const targetCluster = (t: ElasticTarget): Cluster => ({
  get esUrl() {
    return t.esUrl;
  },
  get kibanaUrl() {
    return t.kibanaUrl;
  },
  get emulator() {
    return t.emulator;
  },
  es: (m, p, b) => t.es(m, p, b),
  kibana: (m, p, b) => t.kibana(m, p, b),
});

/** Another emulator, with a superuser password of its own. */
export async function otherCluster(): Promise<Cluster & { stop(): Promise<void> }> {
  const e = await startEmulator({
    esVersion: emulatorVersion(),
    superuserPassword: `other-${Math.random().toString(36).slice(2)}`,
  });
  return { ...clusterOf(e), stop: () => e.stop() };
}

export interface Holdings {
  roles: string[];
  apiKeys: string[];
  enrollmentKeys: string[];
}

/**
 * The live objects on a cluster whose names carry `suffix`: roles, valid API keys (but those under an enrollment key,
 * named `<name> (<id>)` by Fleet), active enrollment keys.
 */
export async function holdings(c: Cluster, suffix: string): Promise<Holdings> {
  const roles = Object.keys(((await c.es("GET", "/_security/role")).body ?? {}) as object);
  const keys = (
    (await c.es("GET", "/_security/api_key")).body as { api_keys: { name: string; invalidated: boolean }[] }
  ).api_keys;
  const enrollment = (
    (await c.kibana("GET", "/api/fleet/enrollment_api_keys?perPage=10000")).body as {
      items: { name: string; active: boolean }[];
    }
  ).items;
  const ours = (name: string) => name.includes(suffix);
  return {
    roles: roles.filter(ours).sort(),
    apiKeys: keys
      .filter((k) => !k.invalidated && ours(k.name) && !/ \(.+\)$/.test(k.name)) // not Fleet's: counted below
      .map((k) => k.name)
      .sort(),
    enrollmentKeys: enrollment
      .filter((k) => k.active && ours(k.name))
      .map((k) => k.name.replace(/ \(.*\)$/, ""))
      .sort(),
  };
}

/** How many objects of each kind a cluster holds, for a report line. */
export const counted = (h: Holdings) => ({
  roles: h.roles.length,
  apiKeys: h.apiKeys.length,
  enrollmentKeys: h.enrollmentKeys.length,
});

/** A superuser of its own on a cluster, so each cluster's credentials differ. */
export async function userOn(c: Cluster, username: string): Promise<{ username: string; password: string }> {
  const password = `pw-${username}-${Math.random().toString(36).slice(2)}`;
  const r = await c.es("PUT", `/_security/user/${username}`, { password, roles: ["superuser"] });
  if (r.status !== 200) throw new Error(`creating ${username}: ${r.status}`);
  return { username, password };
}

/** A Fleet agent policy with a given id, so the same program can put enrollment keys on either cluster. */
export async function policyOn(c: Cluster, id: string): Promise<void> {
  const r = await c.kibana("POST", "/api/fleet/agent_policies", { id, name: id, namespace: "default" });
  if (r.status !== 200) throw new Error(`creating policy ${id}: ${r.status} ${JSON.stringify(r.body)}`);
}
