// Warnings reach the user through the engine's Log service (plugin/engine-log.ts): a fake engine receives them with
// the warning severity, the message and the resource's URN, each once; without an engine they go to stderr.
import * as grpc from "@grpc/grpc-js";
import { LogRequest } from "@pulumi/pulumi/proto/engine_pb";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { engineAddress, warn } from "../../plugin/engine-log";

describe("warnings through the engine's Log service", () => {
  const received: { severity: number; message: string; urn: string }[] = [];
  const server = new grpc.Server();
  let address = "";

  beforeAll(async () => {
    server.addService(
      {
        log: {
          path: "/pulumirpc.Engine/Log",
          requestStream: false,
          responseStream: false,
          requestSerialize: (m: LogRequest) => Buffer.from(m.serializeBinary()),
          requestDeserialize: (b: Buffer) => LogRequest.deserializeBinary(new Uint8Array(b)),
          responseSerialize: () => Buffer.alloc(0),
          responseDeserialize: () => ({}),
        },
      },
      {
        log: (call: grpc.ServerUnaryCall<LogRequest, unknown>, cb: grpc.sendUnaryData<unknown>) => {
          received.push({
            severity: call.request.getSeverity(),
            message: call.request.getMessage(),
            urn: call.request.getUrn(),
          });
          cb(null, {});
        },
      },
    );
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
    );
    address = `127.0.0.1:${port}`;
  });
  afterAll(() => server.forceShutdown());

  it("sends a warning with the resource's URN, once", async () => {
    const urn = "urn:pulumi:dev::p::elastic:index:ApmRole::r";
    await warn('ApmRole "r": cluster privilege "manage_fooo" is not known', urn, address);
    await warn('ApmRole "r": cluster privilege "manage_fooo" is not known', urn, address);
    expect(received).toEqual([
      { severity: 2, message: 'ApmRole "r": cluster privilege "manage_fooo" is not known', urn },
    ]);
  });

  it("finds the engine's address in the process arguments, and writes to stderr without one", async () => {
    expect(engineAddress(["node", "main.js", "127.0.0.1:4567"])).toBe("127.0.0.1:4567");
    expect(engineAddress(["node", "main.js", "--logtostderr", "-v=9", "127.0.0.1:4567"])).toBe("127.0.0.1:4567");
    expect(engineAddress(["node", "main.js"])).toBeUndefined();
    const write = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      await warn("no engine here", undefined, undefined);
      expect(write).toHaveBeenCalledWith("warning: no engine here\n");
    } finally {
      write.mockRestore();
    }
  });
});
