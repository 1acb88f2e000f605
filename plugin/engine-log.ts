// Warnings to the user, through the engine's Log service: the engine passes its address to every provider process as
// the first argument (our plugin, and the dynamic-provider host that runs the dynamic resources), and shows what it
// receives as a `warning:` diagnostic under the resource (the URN, where the caller knows it) in preview and up.
// Loaded on first use: the protocol messages are not needed to start the plugin.
import type * as grpc from "@grpc/grpc-js";

const WARNING = 2; // pulumirpc.LogSeverity.WARNING

let client: grpc.Client | undefined;
const sent = new Set<string>();

/**
 * The engine's address from this process's arguments (after the engine's own flags such as `-v=9 --logtostderr`), or
 * undefined when it was not started by an engine.
 */
export function engineAddress(argv: readonly string[] = process.argv): string | undefined {
  return argv.slice(2).find((a) => /^[\w.-]+:\d+$/.test(a));
}

/**
 * Sends one warning. Each message once per process (the engine may check a resource twice, e.g. before a
 * replacement). Without an engine (tests driving the core directly), or when the engine cannot be reached, the
 * warning goes to stderr instead: it is never lost and never fails the operation.
 */
export async function warn(message: string, urn?: string, address = engineAddress()): Promise<void> {
  const key = `${urn ?? ""}\n${message}`;
  if (sent.has(key)) return;
  sent.add(key);
  if (!address) {
    process.stderr.write(`warning: ${message}\n`);
    return;
  }
  const grpcJs = require("@grpc/grpc-js") as typeof grpc;
  const { LogRequest } = require("@pulumi/pulumi/proto/engine_pb") as typeof import("@pulumi/pulumi/proto/engine_pb");
  client ??= new grpcJs.Client(address, grpcJs.credentials.createInsecure());
  const req = new LogRequest();
  req.setSeverity(WARNING);
  req.setMessage(message);
  if (urn) req.setUrn(urn);
  await new Promise<void>((resolve) => {
    client!.makeUnaryRequest(
      "/pulumirpc.Engine/Log",
      (r: InstanceType<typeof LogRequest>) => Buffer.from(r.serializeBinary()),
      (b: Buffer) => b,
      req,
      (err) => {
        if (err) process.stderr.write(`warning: ${message}\n`);
        resolve();
      },
    );
  });
}
