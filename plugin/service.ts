// The gRPC service definition of the methods the plugin serves, with message classes resolved on first use.
// `@pulumi/pulumi/proto/provider_grpc_pb` would load every protobuf message of the protocol before the plugin can
// print its port (a third of its start time); this table names the same paths and types (test/unit/plugin-service
// compares it with that file) and loads the message modules only when the first request arrives.
import type { MethodDefinition, ServiceDefinition } from "@grpc/grpc-js";

interface Message {
  serializeBinary(): Uint8Array;
}
type MessageClass = { deserializeBinary(bytes: Uint8Array): Message };

const MODULES = {
  provider: "@pulumi/pulumi/proto/provider_pb",
  plugin: "@pulumi/pulumi/proto/plugin_pb",
  empty: "google-protobuf/google/protobuf/empty_pb",
} as const;
type MessageRef = `${keyof typeof MODULES}.${string}`;

/** handler name → [request message, response message] of `/pulumirpc.ResourceProvider/<Name>`. */
export const SERVED_METHODS: Record<string, [MessageRef, MessageRef]> = {
  handshake: ["provider.ProviderHandshakeRequest", "provider.ProviderHandshakeResponse"],
  getPluginInfo: ["empty.Empty", "plugin.PluginInfo"],
  getSchema: ["provider.GetSchemaRequest", "provider.GetSchemaResponse"],
  checkConfig: ["provider.CheckRequest", "provider.CheckResponse"],
  diffConfig: ["provider.DiffRequest", "provider.DiffResponse"],
  configure: ["provider.ConfigureRequest", "provider.ConfigureResponse"],
  check: ["provider.CheckRequest", "provider.CheckResponse"],
  diff: ["provider.DiffRequest", "provider.DiffResponse"],
  create: ["provider.CreateRequest", "provider.CreateResponse"],
  read: ["provider.ReadRequest", "provider.ReadResponse"],
  update: ["provider.UpdateRequest", "provider.UpdateResponse"],
  delete: ["provider.DeleteRequest", "empty.Empty"],
  cancel: ["empty.Empty", "empty.Empty"],
  attach: ["plugin.PluginAttach", "empty.Empty"],
};

const classOf = (ref: MessageRef): MessageClass => {
  const [mod, name] = ref.split(".") as [keyof typeof MODULES, string];
  return (require(MODULES[mod]) as Record<string, MessageClass>)[name];
};

/** The service definition grpc-js needs; paths the plugin does not serve are answered UNIMPLEMENTED by grpc-js. */
export function lazyResourceProviderService(): ServiceDefinition {
  const service: Record<string, MethodDefinition<Message, Message>> = {};
  for (const [handler, [request, response]] of Object.entries(SERVED_METHODS)) {
    const name = handler[0].toUpperCase() + handler.slice(1);
    service[handler] = {
      path: `/pulumirpc.ResourceProvider/${name}`,
      requestStream: false,
      responseStream: false,
      originalName: name,
      requestSerialize: (m) => Buffer.from(m.serializeBinary()),
      requestDeserialize: (b) => classOf(request).deserializeBinary(new Uint8Array(b)),
      responseSerialize: (m) => Buffer.from(m.serializeBinary()),
      responseDeserialize: (b) => classOf(response).deserializeBinary(new Uint8Array(b)),
    };
  }
  return service as ServiceDefinition;
}
