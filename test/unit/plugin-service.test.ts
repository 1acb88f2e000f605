// The plugin's lazily loaded gRPC service table (plugin/service.ts) names the same paths and message types as
// Pulumi's generated ResourceProviderService, so the engine and the plugin agree on every method the plugin serves.
import { describe, expect, it } from "vitest";
import { ResourceProviderService } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { lazyResourceProviderService, SERVED_METHODS } from "../../plugin/service";

type Method = {
  path: string;
  requestStream: boolean;
  responseStream: boolean;
  requestType: new () => { serializeBinary(): Uint8Array };
  responseType: new () => { serializeBinary(): Uint8Array };
  requestDeserialize(b: Buffer): unknown;
  responseDeserialize(b: Buffer): unknown;
};

describe("plugin service table", () => {
  const generated = ResourceProviderService as unknown as Record<string, Method>;
  const lazy = lazyResourceProviderService() as unknown as Record<string, Method>;

  it("serves the protocol methods the issue names, and Handshake", () => {
    expect(Object.keys(SERVED_METHODS).sort()).toEqual(
      [
        "attach",
        "cancel",
        "check",
        "checkConfig",
        "configure",
        "create",
        "delete",
        "diff",
        "diffConfig",
        "getPluginInfo",
        "getSchema",
        "handshake",
        "read",
        "update",
      ].sort(),
    );
  });

  for (const name of Object.keys(SERVED_METHODS))
    it(`${name}: same path, unary, same request and response messages as provider_grpc_pb`, () => {
      const g = generated[name];
      const l = lazy[name];
      expect(l.path).toBe(g.path);
      expect([l.requestStream, l.responseStream]).toEqual([g.requestStream, g.responseStream]);
      const request = new g.requestType();
      const response = new g.responseType();
      expect(l.requestDeserialize(Buffer.from(request.serializeBinary()))).toBeInstanceOf(g.requestType);
      expect(l.responseDeserialize(Buffer.from(response.serializeBinary()))).toBeInstanceOf(g.responseType);
    });
});
