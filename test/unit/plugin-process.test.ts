// The plugin as the engine starts it: a process that prints its port on its first line, then answers the protocol.
// Both launch routes: the launcher in plugin/bin (path-based use, the tarball), and Pulumi's run-plugin loading the
// package root (the source-plugin route PulumiPlugin.yaml opens for the official CLI's nodejs language host).
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { afterEach, describe, expect, it } from "vitest";
import { RESOURCES as REGISTERED } from "../../provider/framework/registry";
import { lazyResourceProviderService } from "../../plugin/service";

const ROOT = path.join(__dirname, "..", "..");
const VERSION = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version;
const running: ChildProcess[] = [];
afterEach(() => running.splice(0).forEach((p) => p.kill()));

/** Starts a plugin process and resolves with the port from its first line of output. */
function start(command: string, args: string[]): Promise<number> {
  const child = spawn(command, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  running.push(child);
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const line = /^(\d+)\n/.exec(out);
      if (line) resolve(Number(line[1]));
    });
    child.on("exit", (code) => reject(new Error(`plugin exited ${code} before printing a port: ${out}${err}`)));
  });
}

/** GetPluginInfo and GetSchema over gRPC, as the engine asks them. */
async function ask(port: number): Promise<{ version: string; resources: string[] }> {
  const Client = grpc.makeGenericClientConstructor(lazyResourceProviderService(), "ResourceProvider");
  const client = new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as unknown as Record<
    string,
    (req: unknown, cb: (err: Error | null, res: { toObject(): Record<string, unknown> }) => void) => void
  >;
  const call = <T>(method: string, req: unknown) =>
    new Promise<T>((resolve, reject) =>
      client[method](req, (err, res) => (err ? reject(err) : resolve(res.toObject() as T))),
    );
  const { Empty } = require("google-protobuf/google/protobuf/empty_pb");
  const { GetSchemaRequest } = require("@pulumi/pulumi/proto/provider_pb");
  const info = await call<{ version: string }>("getPluginInfo", new Empty());
  const schema = await call<{ schema: string }>("getSchema", new GetSchemaRequest());
  (client as unknown as grpc.Client).close();
  return { version: info.version, resources: Object.keys(JSON.parse(schema.schema).resources).sort() };
}

// Every registered resource, by its token.
const RESOURCES = REGISTERED.map((r) => `elastic:index:${r.lifecycle.definition.type}`).sort();

describe("the plugin process", () => {
  it("plugin/bin/pulumi-resource-elastic prints its port and serves its version and schema", async () => {
    const port = await start(path.join(ROOT, "plugin", "bin", "pulumi-resource-elastic"), []);
    expect(await ask(port)).toEqual({ version: VERSION, resources: RESOURCES });
  });

  it("Pulumi's run-plugin on the package root (the PulumiPlugin.yaml route) serves the same plugin", async () => {
    const runPlugin = path.join(path.dirname(require.resolve("@pulumi/pulumi/package.json")), "cmd", "run-plugin");
    const port = await start(process.execPath, [runPlugin, ROOT]);
    expect(await ask(port)).toEqual({ version: VERSION, resources: RESOURCES });
  });
});
