// The baseline ("floor") resource's implementation, loaded by its serialized shim in the provider process exactly
// the way ours is: check and diff are pure, and create, read and delete make exactly one HTTP request each to the
// emulator's Elasticsearch (a role, over an undici keep-alive pool like provider/elastic/transport.ts). What is left of an
// operation's wall time is the engine's own cost plus one request per resource: the floor our resources are held to.
import { Agent, request } from "undici";

type Props = Record<string, unknown>;

const pool = new Agent({ keepAliveTimeout: 30_000, connections: 32 });

async function call(method: "PUT" | "GET" | "DELETE", name: string, body?: unknown): Promise<number> {
  const base = (process.env.ELASTICSEARCH_ENDPOINTS ?? "").split(",")[0].replace(/\/+$/, "");
  const user = process.env.ELASTICSEARCH_USERNAME ?? "";
  const password = process.env.ELASTICSEARCH_PASSWORD ?? "";
  const headers: Record<string, string> = {
    authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`,
    accept: "application/json",
  };
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await request(`${base}/_security/role/${encodeURIComponent(name)}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    dispatcher: pool,
  });
  await res.body.text();
  if (res.statusCode >= 300 && res.statusCode !== 404) throw new Error(`${method} role ${name}: ${res.statusCode}`);
  return res.statusCode;
}

const roleName = (label: unknown) => `bench-floor-${String(label)}`;

export async function check(_olds: Props, news: Props): Promise<{ inputs: Props }> {
  return { inputs: news };
}

export async function diff(_id: string, olds: Props, news: Props): Promise<{ changes: boolean }> {
  return { changes: olds.label !== news.label };
}

export async function create(inputs: Props): Promise<{ id: string; outs: Props }> {
  const name = roleName(inputs.label);
  await call("PUT", name, { cluster: ["monitor"] });
  return { id: name, outs: { ...inputs } };
}

export async function read(id: string, props: Props = {}): Promise<{ id?: string; props?: Props }> {
  return (await call("GET", id)) === 404 ? {} : { id, props };
}

export async function remove(id: string): Promise<void> {
  await call("DELETE", id);
}
