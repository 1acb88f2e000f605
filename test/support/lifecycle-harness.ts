// The lifecycle tier: each resource's operations driven in-process against the emulator, without the CLI, the
// way the engine drives them (check, then create; read on refresh; delete on destroy). Fast enough to cover every
// error path; the engine tests (test/engine) prove the same flows on the real CLI.
import { createAgentPolicy, emulatorKibana } from "../../scripts/lib/agent-policy";
import { mkdtempSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { startEmulator, type AdminApiKey, type Emulator, type EmulatorOptions } from "../../emulator";
import { Connection } from "../../provider/elastic/connection";
import { ElasticKeysError } from "../../provider/elastic/errors";
import { NAME_INPUT, type Lifecycle } from "../../provider/framework/lifecycle";
import { CLUSTER_INPUT } from "../../provider/framework/cluster-record";

export { forwardingProxy } from "./proxies";

type Props = Record<string, unknown>;

export interface Deployed {
  id: string;
  outs: Props;
  /** The checked inputs the engine stores (what check gets as `olds` on the next up). */
  inputs: Props;
}

export type Auth = { username: string; password: string } | { apiKey: string };

export interface Harness {
  emu: Emulator;
  /** A connection as the superuser (or the given credential), with quick retries. */
  conn(auth?: Auth, env?: Record<string, string>): Connection;
  /** check (as the engine: with the old inputs when updating) then create; returns the state the engine keeps. */
  create(lc: Lifecycle, conn: Connection, news: Props, logicalName?: string): Promise<Deployed>;
  /**
   * A change the diff says replaces the resource, carried out as the engine does: check against the old inputs,
   * diff, check again without them (a replacement is a new object), then create the new object and delete the old
   * one afterwards — or first, when the diff asks for delete-before-replace. Returns the new object's state.
   */
  replace(lc: Lifecycle, conn: Connection, old: Deployed, news: Props, logicalName?: string): Promise<Deployed>;
  /** A user with the given roles, created through the emulator's ES API as the superuser. */
  user(username: string, roles: string[]): Promise<{ username: string; password: string }>;
  /** Raw ES call as the superuser. */
  es(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  keys(name: string): AdminApiKey[];
  liveKeys(name: string): AdminApiKey[];
}

export function useEmulator(opts: EmulatorOptions = {}): Harness {
  const h = {} as Harness;
  /** The create journal of this file's connections (create-journal.ts): never the user's own. */
  const journal = mkdtempSync(path.join(os.tmpdir(), "pek-journal-"));
  beforeAll(async () => {
    const emu = await startEmulator(opts);
    const superuser = { username: emu.superuser.username, password: emu.superuser.password };
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${emu.esUrl}${path}`, {
        method,
        headers: {
          authorization: `Basic ${Buffer.from(`${superuser.username}:${superuser.password}`).toString("base64")}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
    };
    Object.assign(h, {
      emu,
      conn: (auth: Auth = superuser, env: Record<string, string> = {}) =>
        new Connection({
          config: {},
          env: {
            ELASTICSEARCH_ENDPOINTS: emu.esUrl,
            KIBANA_ENDPOINT: emu.kibanaUrl,
            ...("apiKey" in auth
              ? { ELASTICSEARCH_API_KEY: auth.apiKey }
              : { ELASTICSEARCH_USERNAME: auth.username, ELASTICSEARCH_PASSWORD: auth.password }),
            ELASTIC_KEYS_HTTP_BASE_DELAY_MS: "5",
            ELASTIC_KEYS_HTTP_BUDGET_MS: "2000",
            ELASTIC_KEYS_JOURNAL_DIR: journal,
            ...env,
          },
        }),
      async create(lc: Lifecycle, conn: Connection, news: Props, logicalName = "res") {
        const checked = await lc.check(conn, {}, { ...news, [NAME_INPUT]: logicalName });
        if (checked.failures?.length) throw new Error(checked.failures.map((f) => f.reason).join("\n"));
        return { ...(await lc.create(conn, checked.inputs!)), inputs: checked.inputs! };
      },
      async replace(lc: Lifecycle, conn: Connection, old: Deployed, news: Props, logicalName = "res") {
        const named = { ...news, [NAME_INPUT]: logicalName };
        const checked = await lc.check(conn, old.inputs, named);
        if (checked.failures?.length) throw new Error(checked.failures.map((f) => f.reason).join("\n"));
        const diff = await lc.diff(old.id, { ...old.inputs, ...old.outs }, checked.inputs!, conn);
        if (!diff.replaces?.length) throw new Error(`not a replacement: ${JSON.stringify(diff)}`);
        const fresh = await lc.check(conn, {}, named);
        if (fresh.failures?.length) throw new Error(fresh.failures.map((f) => f.reason).join("\n"));
        if (diff.deleteBeforeReplace) await lc.delete(conn, old.id, { ...old.inputs, ...old.outs });
        const created = { ...(await lc.create(conn, fresh.inputs!)), inputs: fresh.inputs! };
        if (!diff.deleteBeforeReplace) await lc.delete(conn, old.id, { ...old.inputs, ...old.outs });
        return created;
      },
      async user(username: string, roles: string[]) {
        const password = `${username}-password`;
        const r = await call("PUT", `/_security/user/${username}`, { password, roles });
        if (r.status !== 200) throw new Error(`creating user ${username}: ${r.status}`);
        return { username, password };
      },
      es: call,
      keys: (name: string) => emu.admin.state().apiKeys.filter((k) => k.name === name),
      liveKeys: (name: string) =>
        emu.admin
          .state()
          .apiKeys.filter(
            (k) =>
              k.name === name && !k.invalidated && (k.expiration === undefined || k.expiration > emu.admin.state().now),
          ),
    } satisfies Harness);
  });
  afterAll(async () => {
    await h.emu?.stop(); // closes every connection to it, so no client's keep-alive socket outlives the file
  });
  return h;
}

/**
 * State as written before resources recorded their cluster: for tests of what an answer from another endpoint means
 * (a proxy, a wrong path), which the record would otherwise refuse before any request (cluster-record.ts).
 */
export const unrecorded = (props: Props): Props =>
  Object.fromEntries(Object.entries(props).filter(([k]) => k !== CLUSTER_INPUT));

/** The error an operation failed with (and that it did fail). */
export async function failure(p: Promise<unknown>): Promise<ElasticKeysError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ElasticKeysError) return err;
    throw err;
  }
  throw new Error("expected the operation to fail");
}

/** A plain HTTP server that answers every request with the given status and body, like a proxy in front. */
export async function answeringServer(
  status: number,
  body: string,
  headers: Record<string, string> = { "content-type": "text/html" },
): Promise<{ url: string; close(): Promise<void> }> {
  const { createServer } = await import("node:http");
  const server = createServer((_req, res) => {
    res.writeHead(status, headers);
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** A Fleet agent policy made through Kibana as the superuser; returns its id. */
export async function agentPolicy(h: Harness, name: string): Promise<string> {
  return createAgentPolicy(emulatorKibana(h.emu), name);
}
