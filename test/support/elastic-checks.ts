// Server-side checks the engine tests make, through the real APIs as the superuser, so they hold on the emulator
// and on a real stack alike.
import type { ElasticTarget } from "./target";

export interface KeyView {
  id: string;
  name: string;
  invalidated: boolean;
  expiration?: number;
  username?: string;
  metadata?: Record<string, unknown>;
  access?: unknown;
}

export async function keysNamed(t: ElasticTarget, name: string): Promise<KeyView[]> {
  const r = await t.es("GET", `/_security/api_key?name=${encodeURIComponent(name)}`);
  return r.status === 200 ? ((r.body as { api_keys: KeyView[] }).api_keys ?? []).filter((k) => k.name === name) : [];
}

export async function liveKeysNamed(t: ElasticTarget, name: string): Promise<KeyView[]> {
  return (await keysNamed(t, name)).filter(
    (k) => !k.invalidated && (k.expiration === undefined || k.expiration > Date.now()),
  );
}

export async function keyById(t: ElasticTarget, id: string): Promise<KeyView | undefined> {
  const r = await t.es("GET", `/_security/api_key?id=${encodeURIComponent(id)}`);
  return r.status === 200 ? (r.body as { api_keys: KeyView[] }).api_keys[0] : undefined;
}

/** Does `Authorization: ApiKey <encoded>` authenticate, and as which key? */
export async function authenticatesAs(t: ElasticTarget, encoded: string): Promise<string | undefined> {
  const r = await t.es("GET", "/_security/_authenticate", undefined, { apiKey: encoded });
  return r.status === 200 ? (r.body as { api_key?: { id: string } }).api_key?.id : undefined;
}

export async function createUser(
  t: ElasticTarget,
  username: string,
  password: string,
  roles: string[],
): Promise<{ username: string; password: string }> {
  const r = await t.es("PUT", `/_security/user/${username}`, { password, roles });
  if (r.status !== 200) throw new Error(`creating test user ${username}: ${r.status} ${JSON.stringify(r.body)}`);
  return { username, password };
}

/** Emulator only: the write requests (anything but GET) the emulator received since the log was cleared. */
export function writesSeen(t: ElasticTarget): { method: string; path: string }[] {
  return (t.emulator?.admin.requests() ?? []).filter((r) => r.method !== "GET" && r.method !== "HEAD");
}

/** Asserts that none of the given values occurs in the text; returns the offending values. */
export function leaked(text: string, values: (string | undefined)[]): string[] {
  return values.filter((v): v is string => !!v && v.length >= 4 && text.includes(v));
}

/** A Fleet agent policy to put enrollment keys on; returns its id. */
export async function createAgentPolicy(t: ElasticTarget, name: string): Promise<string> {
  const r = await t.kibana("POST", "/api/fleet/agent_policies", { name, namespace: "default" });
  if (r.status !== 200) throw new Error(`creating agent policy ${name}: ${r.status} ${JSON.stringify(r.body)}`);
  return (r.body as { item: { id: string } }).item.id;
}

/** The enrollment keys of a policy that are still active, through every page of Fleet's list. */
export async function activeEnrollmentKeys(
  t: ElasticTarget,
  policyId: string,
): Promise<{ id: string; name: string }[]> {
  const keys: { id: string; name: string; active: boolean }[] = [];
  for (let page = 1; ; page++) {
    const r = await t.kibana(
      "GET",
      `/api/fleet/enrollment_api_keys?page=${page}&perPage=100&kuery=${encodeURIComponent(`policy_id:"${policyId}"`)}`,
    );
    const body = r.body as { items: { id: string; name: string; active: boolean }[]; total: number };
    keys.push(...body.items);
    if (body.items.length === 0 || keys.length >= body.total) break;
  }
  return keys.filter((k) => k.active);
}
