// pulumi-resource-elastic: the four resources as a Pulumi resource provider for every language (YAML, Python, Go,
// TypeScript with provider instances), served over gRPC from the provider/ core. The engine starts it and reads the
// port from its first line of output; only gRPC and a lazy service definition load before that (the protobuf
// messages, zod and the core load on the first request: plugin/service.ts), and V8's compile cache is kept between starts.
import * as nodeModule from "node:module";
import { readFileSync } from "node:fs";
import * as path from "node:path";

(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

// The package root: dist/plugin/main.js in a checkout or an npm install, the tarball's dist/plugin/main.js too.
const PACKAGE_ROOT = path.join(__dirname, "..", "..");

async function main(): Promise<void> {
  const grpc = require("@grpc/grpc-js") as typeof import("@grpc/grpc-js");
  const { lazyResourceProviderService } = require("./service") as typeof import("./service");
  const { providerServer } = require("./server") as typeof import("./server");
  const version = (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string })
    .version;
  const server = new grpc.Server({
    "grpc.max_receive_message_length": 1 << 30,
    "grpc.max_send_message_length": 1 << 30,
  });
  server.addService(
    lazyResourceProviderService(),
    providerServer(
      {
        version,
        env: process.env,
        schema: () => readFileSync(path.join(PACKAGE_ROOT, "plugin", "schema.json"), "utf8"),
      },
      grpc.status,
    ) as unknown as import("@grpc/grpc-js").UntypedServiceImplementation,
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  process.stdout.write(`${port}\n`);
  (require("./engine-watch") as typeof import("./engine-watch")).exitWhenEngineGone();
}

main().catch((err: unknown) => {
  process.stderr.write(`pulumi-resource-elastic: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
