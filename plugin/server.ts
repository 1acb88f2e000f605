// Pulumi's resource-provider protocol, translated to the provider/ core's lifecycle operations: the same registry,
// schemas, rules and error words as the dynamic resources. One Connection per Configure (explicit provider instances
// are separate processes, each with its own settings: several clusters in one program).
import type * as grpc from "@grpc/grpc-js";
import type * as provproto from "@pulumi/pulumi/proto/provider_pb";
import type { Connection } from "../provider/elastic/connection";
import type { ElasticKeysError } from "../provider/elastic/errors";
import type { Lifecycle } from "../provider/framework/lifecycle";
import {
  checkedProviderInputs,
  configOf,
  providerConfigDiff,
  providerSettings,
  SECRET_INPUTS,
  unknownKeys,
} from "./config";
import { plaintextInProjectFiles, plaintextInRecord } from "./plaintext-secrets";
import { warn } from "./engine-log";
import { fromStruct, toStruct } from "./values";

type Props = Record<string, unknown>;
type Callback<T> = (err: grpc.ServiceError | null, value?: T) => void;
type Handler = (call: { request: never }, callback: Callback<unknown>) => void;

/** The protobuf and core modules, loaded on the first request: the plugin prints its port before loading them. */
interface Loaded {
  pb: typeof provproto;
  plugin: typeof import("@pulumi/pulumi/proto/plugin_pb");
  empty: typeof import("google-protobuf/google/protobuf/empty_pb");
  struct: typeof import("google-protobuf/google/protobuf/struct_pb");
  status: typeof import("@pulumi/pulumi/proto/status_pb");
  any: typeof import("google-protobuf/google/protobuf/any_pb");
  registry: typeof import("../provider/framework/registry");
  lifecycle: typeof import("../provider/framework/lifecycle");
  connection: typeof import("../provider/elastic/connection");
  settings: typeof import("../provider/elastic/settings");
  errors: typeof import("../provider/elastic/errors");
}
let loaded: Loaded | undefined;
function load(): Loaded {
  return (loaded ??= {
    pb: require("@pulumi/pulumi/proto/provider_pb"),
    plugin: require("@pulumi/pulumi/proto/plugin_pb"),
    empty: require("google-protobuf/google/protobuf/empty_pb"),
    struct: require("google-protobuf/google/protobuf/struct_pb"),
    status: require("@pulumi/pulumi/proto/status_pb"),
    any: require("google-protobuf/google/protobuf/any_pb"),
    registry: require("../provider/framework/registry"),
    lifecycle: require("../provider/framework/lifecycle"),
    connection: require("../provider/elastic/connection"),
    settings: require("../provider/elastic/settings"),
    errors: require("../provider/elastic/errors"),
  });
}

/** `urn:pulumi:stack::project::elastic:index:ApmRole::name` → its lifecycle and secret output keys. */
function resourceFor(type: string): { lifecycle: Lifecycle; secrets: string[] } {
  const name = /^elastic:index:(\w+)$/.exec(type)?.[1];
  const r = name ? load().registry.resourceOf(name) : undefined;
  if (!r)
    throw new Error(
      `unknown resource type ${type}: this plugin serves ${load()
        .registry.RESOURCES.map((x) => `elastic:index:${x.lifecycle.definition.type}`)
        .join(", ")}`,
    );
  const outputs = r.lifecycle.definition.outputs;
  return { lifecycle: r.lifecycle, secrets: Object.keys(outputs).filter((k) => outputs[k].secret) };
}

const typeOfUrn = (urn: string): string => urn.split("::")[2] ?? "";

export interface PluginOptions {
  version: string;
  schema: () => string;
  env: Readonly<Record<string, string | undefined>>;
}

export function providerServer(options: PluginOptions, grpcStatus: typeof grpc.status): Record<string, Handler> {
  let connection: Connection | undefined;
  /** Warnings the core raises while it works (e.g. what it settled for the user) reach the engine's log. */
  const connectionOptions = { warn: (message: string) => warn(message) };
  const conn = (): Connection =>
    (connection ??= new (load().connection.Connection)({ config: {}, env: options.env }, connectionOptions));

  /** Runs a handler, turning any failure into the gRPC error the engine shows (one message, no stack frames). */
  const unary =
    <Req, Res>(fn: (req: Req) => Promise<Res>) =>
    (call: { request: Req }, callback: Callback<Res>) => {
      fn(call.request).then(
        (res) => callback(null, res),
        (err: unknown) => callback(grpcError(err, grpcStatus)),
      );
    };

  const outputs = (props: Props, secrets: string[], secretInputs: Set<string>) =>
    toStruct(props, [...secrets, ...secretInputs], load().struct.Struct);

  const handlers = {
    handshake: unary(async () => {
      const res = new (load().pb.ProviderHandshakeResponse)();
      res.setAcceptSecrets(true);
      res.setAcceptResources(false);
      res.setAcceptOutputs(false);
      return res;
    }),

    getPluginInfo: unary(async () => {
      const info = new (load().plugin.PluginInfo)();
      info.setVersion(options.version);
      return info;
    }),

    getSchema: unary(async () => {
      const res = new (load().pb.GetSchemaResponse)();
      res.setSchema(options.schema());
      return res;
    }),

    checkConfig: unary(async (req: provproto.CheckRequest) => {
      const { pb } = load();
      const news = fromStruct(req.getNews()).props;
      // The cluster (endpoints, resolved now) and whether the stack config gives the settings are recorded; secret
      // settings are stored as secrets however they were given (README, Configuration).
      const inputs = checkedProviderInputs(news, options.env);
      const res = new pb.CheckResponse();
      res.setInputs(toStruct(inputs, SECRET_INPUTS, load().struct.Struct));
      const reasons = new Set(
        unknownKeys(news).map((k) => `${k} is not a setting of the elastic provider (see README, Configuration)`),
      );
      // Settings that are there must be usable (URLs, switches); a missing one is reported where a resource needs it.
      const known = Object.entries(configOf(inputs, {})).filter(([, v]) => v !== load().lifecycle.UNKNOWN);
      const conn = new (load().connection.Connection)({ config: Object.fromEntries(known), env: options.env });
      for (const probe of [() => conn.checkSettingValues(), () => conn.elasticsearch(), () => conn.fleet()]) {
        try {
          probe();
        } catch (err) {
          if ((err as ElasticKeysError).code === "invalid_input") reasons.add(conn.messageOf(err));
        }
      }
      res.setFailuresList(
        [...reasons].map((reason) => {
          const f = new pb.CheckFailure();
          f.setProperty("");
          f.setReason(reason);
          return f;
        }),
      );
      for (const w of plaintextInProjectFiles(news)) await warn(w, req.getUrn());
      return res;
    }),

    diffConfig: unary(async (req: provproto.DiffRequest) => {
      // Changed settings are recorded as an update; a change of cluster replaces every resource of the provider:
      // the engine creates them with the new provider and deletes them with the old one (README, Configuration).
      const { pb } = load();
      const { changed, replaces } = providerConfigDiff(
        fromStruct(req.getOlds()).props,
        fromStruct(req.getNews()).props,
      );
      const res = new pb.DiffResponse();
      res.setChanges(changed.length ? pb.DiffResponse.DiffChanges.DIFF_SOME : pb.DiffResponse.DiffChanges.DIFF_NONE);
      res.setDiffsList(changed);
      res.setReplacesList(replaces);
      return res;
    }),

    configure: unary(async (req: provproto.ConfigureRequest) => {
      const { props: args, secretKeys } = fromStruct(req.getArgs());
      const variables: Record<string, string> = {};
      req.getVariablesMap().forEach((v: string, k: string) => (variables[k] = v));
      for (const w of plaintextInRecord(args, secretKeys)) await warn(w, req.getUrn());
      connection = new (load().connection.Connection)(
        providerSettings(args, variables, options.env),
        connectionOptions,
      );
      const res = new (load().pb.ConfigureResponse)();
      res.setAcceptsecrets(true);
      res.setSupportspreview(false);
      res.setAcceptresources(false);
      res.setAcceptoutputs(false);
      return res;
    }),

    check: unary(async (req: provproto.CheckRequest) => {
      const { pb } = load();
      const { lifecycle } = resourceFor(req.getType() || typeOfUrn(req.getUrn()));
      const news = fromStruct(req.getNews());
      const olds = fromStruct(req.getOlds()).props;
      const result = await lifecycle.check(conn(), olds, { ...news.props, __logicalName: req.getName() });
      for (const w of result.warnings ?? []) await warn(w, req.getUrn());
      const res = new pb.CheckResponse();
      if (result.inputs) res.setInputs(toStruct(result.inputs, news.secretKeys, load().struct.Struct));
      res.setFailuresList(
        (result.failures ?? []).map((f) => {
          const failure = new pb.CheckFailure();
          failure.setProperty(f.property);
          failure.setReason(f.reason);
          return failure;
        }),
      );
      return res;
    }),

    diff: unary(async (req: provproto.DiffRequest) => {
      const { pb } = load();
      const { lifecycle } = resourceFor(req.getType() || typeOfUrn(req.getUrn()));
      const d = await lifecycle.diff(
        req.getId(),
        fromStruct(req.getOlds()).props,
        fromStruct(req.getNews()).props,
        conn(),
      );
      const res = new pb.DiffResponse();
      res.setChanges(d.changes ? pb.DiffResponse.DiffChanges.DIFF_SOME : pb.DiffResponse.DiffChanges.DIFF_NONE);
      res.setReplacesList(d.replaces ?? []);
      res.setDeletebeforereplace(d.deleteBeforeReplace === true);
      res.setDiffsList(d.changed ?? []);
      return res;
    }),

    create: unary(async (req: provproto.CreateRequest) => {
      const { lifecycle, secrets } = resourceFor(req.getType() || typeOfUrn(req.getUrn()));
      const inputs = fromStruct(req.getProperties());
      // The engine asks for creates and updates at preview too (Handshake makes it assume provider-side previews):
      // nothing is written then; the inputs are the planned state and every output stays unknown.
      if (req.getPreview()) return previewOf(new (load().pb.CreateResponse)(), req.getProperties());
      const outcome = await lifecycle.createOutcome(conn(), inputs.props);
      if (outcome.partial)
        throw withPartialState(outcome.error, outcome.partial, (outs) => outputs(outs, secrets, inputs.secretKeys));
      const res = new (load().pb.CreateResponse)();
      res.setId(outcome.created.id);
      res.setProperties(outputs(outcome.created.outs, secrets, inputs.secretKeys));
      return res;
    }),

    read: unary(async (req: provproto.ReadRequest) => {
      const { lifecycle, secrets } = resourceFor(req.getType() || typeOfUrn(req.getUrn()));
      const props = fromStruct(req.getProperties());
      const oldInputs = fromStruct(req.getInputs());
      const res = new (load().pb.ReadResponse)();
      // No state at all: `pulumi import` (or the import option) of an existing object.
      if (Object.keys(props.props).length === 0 && Object.keys(oldInputs.props).length === 0) {
        const found = await lifecycle.importExisting(conn(), req.getId());
        if (found.id) {
          res.setId(found.id);
          res.setProperties(outputs(found.props ?? {}, secrets, new Set()));
          res.setInputs(toStruct(found.inputs ?? {}, [], load().struct.Struct));
        }
        return res;
      }
      const read = await lifecycle
        .read(conn(), req.getId(), props.props)
        .catch((err: unknown) => Promise.reject(load().errors.withUrn(err, req.getUrn())));
      if (read.id) {
        res.setId(read.id);
        res.setProperties(outputs(read.props ?? {}, secrets, props.secretKeys));
        res.setInputs(req.getInputs() ?? toStruct({}, [], load().struct.Struct));
      }
      return res;
    }),

    update: unary(async (req: provproto.UpdateRequest) => {
      const { lifecycle, secrets } = resourceFor(req.getType() || typeOfUrn(req.getUrn()));
      const olds = fromStruct(req.getOlds());
      const news = fromStruct(req.getNews());
      if (req.getPreview()) return previewOf(new (load().pb.UpdateResponse)(), req.getNews());
      const { outs } = await lifecycle.update(conn(), req.getId(), olds.props, news.props);
      const res = new (load().pb.UpdateResponse)();
      res.setProperties(outputs(outs, secrets, new Set([...olds.secretKeys, ...news.secretKeys])));
      return res;
    }),

    delete: unary(async (req: provproto.DeleteRequest) => {
      const { lifecycle } = resourceFor(req.getType() || typeOfUrn(req.getUrn()));
      await lifecycle
        .delete(conn(), req.getId(), fromStruct(req.getProperties()).props)
        .catch((err: unknown) => Promise.reject(load().errors.withUrn(err, req.getUrn())));
      return new (load().empty.Empty)();
    }),

    cancel: unary(async () => new (load().empty.Empty)()),
    attach: unary(async () => new (load().empty.Empty)()),
  };

  return handlers as unknown as Record<string, Handler>;
}

const previewOf = <
  R extends { setProperties(s?: import("google-protobuf/google/protobuf/struct_pb").Struct): unknown },
>(
  res: R,
  planned: import("google-protobuf/google/protobuf/struct_pb").Struct | undefined,
): R => {
  res.setProperties(planned);
  return res;
};

/** A create that could not be settled: the engine's ErrorResourceInitFailed, so the partial state is kept. */
function withPartialState(
  err: ElasticKeysError,
  partial: { id: string; outs: Props },
  encode: (outs: Props) => import("google-protobuf/google/protobuf/struct_pb").Struct,
): unknown {
  const { pb, status, any } = load();
  const detail = new pb.ErrorResourceInitFailed();
  detail.setId(partial.id);
  detail.setProperties(encode(partial.outs));
  detail.setReasonsList([err.message]);
  const packed = new any.Any();
  packed.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
  const st = new status.Status();
  st.setCode(2); // UNKNOWN
  st.setMessage(err.message);
  st.addDetails(packed);
  return Object.assign(err, { statusDetails: Buffer.from(st.serializeBinary()) });
}

function grpcError(err: unknown, grpcStatus: typeof grpc.status): grpc.ServiceError {
  const message = err instanceof Error ? err.message : String(err);
  const details = (err as { statusDetails?: Buffer }).statusDetails;
  const { Metadata } = require("@grpc/grpc-js") as typeof grpc;
  const metadata = new Metadata();
  if (details) metadata.add("grpc-status-details-bin", details);
  return { code: grpcStatus.UNKNOWN, details: message, message, name: "Error", metadata } as grpc.ServiceError;
}
