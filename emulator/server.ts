// One HTTP(S) listener: reads bounded bodies, serves the admin surface, applies latency and faults, runs the
// emulated server's handler, writes the answer and records it in the request log.
import * as http from "node:http";
import * as https from "node:https";
import { Socket } from "node:net";
import { FaultInjector } from "./faults";
import { garbleAnswer } from "./garble";
import { EmuRequest, EmuResponse } from "./http-types";
import { ListenerApp } from "./listener-app";
import { identityOf } from "./principal";
import { RequestLog } from "./request-log";

/** Bodies above this size get 413 (test/conformance/robustness.test.ts). */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Past this, an oversized upload is cut instead of drained. */
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

export interface ListenerRuntime {
  faults: FaultInjector;
  log: RequestLog;
  latencyMs(): number;
  /** Answers `/_emulator/...` requests. */
  admin(method: string, path: string, body: Buffer): EmuResponse;
}

export interface TlsMaterial {
  key: string;
  cert: string;
}

/**
 * A path the listener is reached under: Kibana's `server.basePath` (with `server.rewriteBasePath`), or the prefix of a
 * proxy in front of Elasticsearch. Requests under it are served with it removed; any other gets `outside`.
 */
export interface PathPrefix {
  path: string;
  outside: EmuResponse;
}

export class Listener {
  readonly server: http.Server;
  private sockets = new Set<Socket>();
  connections = 0;

  constructor(
    private readonly app: ListenerApp,
    private readonly runtime: ListenerRuntime,
    tls?: TlsMaterial,
    private readonly prefix?: PathPrefix,
  ) {
    const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => this.onRequest(req, res);
    this.server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, onRequest) : http.createServer(onRequest);
    this.server.keepAliveTimeout = 30_000;
    this.server.on("connection", (socket: Socket) => {
      this.connections++;
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => {
        this.server.off("error", reject);
        const address = this.server.address();
        resolve(typeof address === "object" && address ? address.port : port);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
      for (const socket of this.sockets) socket.destroy();
    });
  }

  private onRequest(inReq: http.IncomingMessage, res: http.ServerResponse): void {
    // A client that goes away mid-request must not take the process down.
    inReq.on("error", () => inReq.socket.destroy());
    res.on("error", () => res.destroy());
    const chunks: Buffer[] = [];
    let size = 0;
    inReq.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else if (size > MAX_DRAIN_BYTES) inReq.socket.destroy();
    });
    inReq.on("end", () => {
      void this.dispatch(inReq, res, size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks));
    });
  }

  private async dispatch(
    inReq: http.IncomingMessage,
    res: http.ServerResponse,
    body: Buffer | undefined,
  ): Promise<void> {
    const started = Date.now();
    const receivedUrl = inReq.url ?? "/";
    const method = (inReq.method ?? "GET").toUpperCase();
    const rawUrl = this.prefix ? withoutPrefix(receivedUrl, this.prefix.path) : receivedUrl;
    if (rawUrl === undefined) {
      this.send(res, undefined, this.prefix!.outside);
      return;
    }
    const queryAt = rawUrl.indexOf("?");
    const fullPath = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
    /** The path as received, base path or prefix included: what the request log records. */
    const receivedPath = receivedUrl.split("?")[0] as string;
    const rawQuery = queryAt < 0 ? "" : rawUrl.slice(queryAt + 1);

    if (fullPath === "/_emulator" || fullPath.startsWith("/_emulator/")) {
      this.send(res, undefined, this.runtime.admin(method, fullPath, body ?? Buffer.alloc(0)));
      return;
    }

    const { path, space } = this.app.splitPath(fullPath);
    const req: EmuRequest = {
      listener: this.app.name,
      method,
      path,
      fullPath,
      uri: rawUrl,
      query: new URLSearchParams(rawQuery),
      rawQuery,
      headers: inReq.headers,
      rawBody: body ?? Buffer.alloc(0),
      space,
      principal: null,
      objects: [],
    };
    const record = (status: number) =>
      this.runtime.log.add({
        listener: this.app.name,
        method,
        path: receivedPath,
        query: rawQuery,
        status,
        identity: identityOf(req.principal),
        objects: [...req.objects],
        time: started,
        durationMs: Date.now() - started,
      });

    if (body === undefined) {
      const response = this.app.tooLarge(MAX_BODY_BYTES);
      this.send(res, req, { ...response, headers: { ...response.headers, connection: "close" } });
      record(response.status);
      return;
    }

    const decision = this.runtime.faults.decide(this.app.name, method, path);
    const delay = this.runtime.latencyMs() + decision.latencyMs;
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    const fault = decision.action;

    if (fault?.kind === "reset") {
      inReq.socket.destroy();
      record(0);
      return;
    }
    if (fault?.kind === "status") {
      const response = this.faultResponse(fault.status ?? 503, fault.retryAfterSeconds);
      this.send(res, req, response);
      record(response.status);
      return;
    }

    const response = this.app.handle(req);
    if (fault?.kind === "commit-then-fail") {
      if (fault.status === 0) {
        inReq.socket.destroy();
        record(0);
        return;
      }
      const failure = this.faultResponse(fault.status ?? 503, fault.retryAfterSeconds);
      this.send(res, req, failure);
      record(failure.status);
      return;
    }
    if (fault?.kind === "commit-then-garble") {
      const headers = { ...this.app.commonHeaders(req), ...response.headers };
      const garbled = garbleAnswer(fault.garble!, response, headers, fault.status);
      if (!res.destroyed && !res.headersSent) {
        res.writeHead(garbled.status, { ...garbled.headers, "content-length": String(garbled.payload.length) });
        res.end(garbled.payload);
      }
      record(garbled.status);
      return;
    }
    this.send(res, req, response);
    record(response.status);
  }

  private faultResponse(status: number, retryAfterSeconds: number | undefined): EmuResponse {
    const response = this.app.faultResponse(status);
    if (retryAfterSeconds === undefined) return response;
    return { ...response, headers: { ...response.headers, "retry-after": String(retryAfterSeconds) } };
  }

  private send(res: http.ServerResponse, req: EmuRequest | undefined, response: EmuResponse): void {
    if (res.destroyed || res.headersSent) return;
    const payload =
      response.text !== undefined
        ? Buffer.from(response.text, "utf8")
        : response.body === undefined
          ? undefined
          : Buffer.from(JSON.stringify(response.body), "utf8");
    const headers: Record<string, string | string[]> = {
      ...(req ? this.app.commonHeaders(req) : { "content-type": "application/json; charset=utf-8" }),
      ...response.headers,
    };
    if (payload) headers["content-length"] = String(payload.length);
    else headers["content-length"] = "0";
    res.writeHead(response.status, headers);
    res.end(payload);
  }
}

/** The URL below `prefix` ("/" for the prefix itself), or undefined when it is not below it. */
function withoutPrefix(url: string, prefix: string): string | undefined {
  if (!url.startsWith(prefix)) return undefined;
  const rest = url.slice(prefix.length);
  if (rest === "" || rest.startsWith("?")) return `/${rest}`;
  return rest.startsWith("/") ? rest : undefined;
}
