// What a resource's entry module exports for the dynamic front end: the engine's six operations of the lifecycle plus
// `configure`, flat on one module, shaped as a dynamic ResourceProvider — the engine's provider object itself when
// the package is installed, else what the serialized shim loads and installs (sdk/dynamic.ts). Of Pulumi it uses only
// the engine's Log message (plugin/engine-log.ts, for warnings); the shapes are the dynamic-provider protocol's,
// structurally.
import { Connection } from "../provider/elastic/connection";
import { ElasticKeysError } from "../provider/elastic/errors";
import type { Lifecycle } from "../provider/framework/lifecycle";
import { configFromNamespaced, settingsFor } from "../provider/elastic/settings";
import { warn } from "../plugin/engine-log";

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
function asPartialCreate(partial: { id: string; outs: Props }, err: ElasticKeysError, inputs: Props): Error {
  return Object.assign(new Error(err.message), {
    id: partial.id,
    properties: { ...partial.outs, __provider: inputs.__provider },
    reasons: [err.message],
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
  if (!c)
    connections.set(
      key,
      (c = new Connection(settingsFor({ frontEnd: "dynamic" }, config, process.env), { warn: (m) => warn(m) })),
    );
  return c;
}

/**
 * The dynamic-provider host prints every error of check/diff/read/update/delete to stderr as `${e}: ${e.stack}`
 * before answering with it, and the engine shows that under the stack as well: the message twice, then stack frames.
 * The answer itself already carries the whole message (resource, endpoint, status, Elastic's words, the fix), so for
 * our errors that print is dropped, unless the user asks for debugging output (`-v=N --logflow`, which reaches the
 * plugin as arguments, or PULUMI_ELASTIC_KEYS_DEBUG).
 */
const debugging = (): boolean =>
  !!process.env.PULUMI_ELASTIC_KEYS_DEBUG || process.argv.some((a) => /^-v=\d+$/.test(a));
const printedByHost = new Set<string>();
let filterInstalled = false;
function dropHostPrintOf(err: unknown): unknown {
  if (!(err instanceof ElasticKeysError) || debugging()) return err;
  printedByHost.add(`${String(err)}: ${err.stack}`);
  if (!filterInstalled) {
    filterInstalled = true;
    const print = console.error.bind(console);
    console.error = (...args: unknown[]) => {
      if (args.length === 1 && typeof args[0] === "string" && printedByHost.delete(args[0])) return;
      print(...args);
    };
  }
  return err;
}
const reported = <T>(op: Promise<T>): Promise<T> => op.catch((err: unknown) => Promise.reject(dropHostPrintOf(err)));

export function shimTarget(lifecycle: Lifecycle): ShimTarget {
  let connection = connectionFor({});
  return {
    // Stores the stack config synchronously, before any await: the server may run an operation while a returned
    // promise is still pending.
    configure: ({ config }) => {
      connection = connectionFor(configFromNamespaced((key) => config.get(key)));
    },
    check: (olds, news) =>
      reported(
        lifecycle.check(connection, olds, news).then(async ({ warnings, ...result }) => {
          for (const w of warnings ?? []) await warn(w);
          return result;
        }),
      ),
    diff: (id, olds, news) => reported(lifecycle.diff(id, olds, news, connection)),
    create: async (inputs) => {
      const outcome = await lifecycle.createOutcome(connection, inputs);
      if (outcome.partial) throw asPartialCreate(outcome.partial, outcome.error, inputs);
      return outcome.created;
    },
    read: (id, props) => reported(lifecycle.read(connection, id, props)),
    update: (id, olds, news) => reported(lifecycle.update(connection, id, olds, news)),
    delete: (id, props) => reported(lifecycle.delete(connection, id, props)),
  };
}
