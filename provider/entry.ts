// What a resource's entry module exports for the dynamic front end: the lifecycle's six operations plus
// `configure`, flat on one module, shaped as a dynamic ResourceProvider — the engine's provider object itself when
// the package is installed, else what the serialized shim loads and installs (sdk/dynamic.ts). Pulumi-free: the
// shapes are the dynamic-provider protocol's, structurally.
import { Connection } from "./connection";
import { ElasticKeysError } from "./errors";
import type { Lifecycle } from "./lifecycle";
import { configFromNamespaced } from "./settings";

/** What the dynamic-provider server passes to `configure` (pulumi.dynamic.ConfigureRequest, structurally). */
interface ConfigureRequest {
  config: { get(key: string): string | undefined };
}

type Props = Record<string, unknown>;

export interface ShimTarget {
  configure(req: ConfigureRequest): void;
  check(olds: Props, news: Props): ReturnType<Lifecycle["check"]>;
  diff: Lifecycle["diff"];
  create(inputs: Props): ReturnType<Lifecycle["create"]>;
  read(id: string, props?: Props): ReturnType<Lifecycle["read"]>;
  update(id: string, olds: Props, news: Props): ReturnType<Lifecycle["update"]>;
  delete(id: string, props: Props): Promise<void>;
}

/**
 * A create that could not be settled fails as a resource that "failed to initialize": the dynamic-provider server
 * turns an error carrying `id` and `properties` into the engine's partial-create answer, so the engine keeps it in
 * state (create-and-reconcile.ts). The stored outputs need `__provider`, or later reads and deletes could not load
 * the provider.
 */
function asPartialCreate(err: unknown, inputs: Props): unknown {
  const partial = err instanceof ElasticKeysError ? err.details.partialState : undefined;
  if (!partial) return err;
  return Object.assign(new Error((err as Error).message), {
    id: partial.id,
    properties: { ...partial.outs, __provider: inputs.__provider },
    reasons: [(err as Error).message],
  });
}

/**
 * One connection per configuration the engine hands over (stack config, then this process's environment), shared by
 * the resource types served from this process, so what it learns (who the credential is) is asked once.
 */
const connections = new Map<string, Connection>();
function connectionFor(config: Record<string, string | undefined>): Connection {
  const key = JSON.stringify(config);
  let c = connections.get(key);
  if (!c) connections.set(key, (c = new Connection({ config, env: process.env })));
  return c;
}

export function shimTarget(lifecycle: Lifecycle): ShimTarget {
  let connection = connectionFor({});
  return {
    // Stores the stack config synchronously, before any await: the server may run an operation while a returned
    // promise is still pending.
    configure: ({ config }) => {
      connection = connectionFor(configFromNamespaced((key) => config.get(key)));
    },
    check: (olds, news) => lifecycle.check(connection, olds, news),
    diff: (id, olds, news) => lifecycle.diff(id, olds, news),
    create: (inputs) =>
      lifecycle.create(connection, inputs).catch((err: unknown) => Promise.reject(asPartialCreate(err, inputs))),
    read: (id, props) => lifecycle.read(connection, id, props),
    update: (id, olds, news) => lifecycle.update(connection, id, olds, news),
    delete: (id, props) => lifecycle.delete(connection, id, props),
  };
}
