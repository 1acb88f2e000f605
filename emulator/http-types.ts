// The request/response values passed between the listeners, the routers and the API handlers.
import { IncomingHttpHeaders } from "node:http";
import { Json } from "./json";
import { Principal } from "./principal";

export type ListenerName = "es" | "kibana";

export interface EmuRequest {
  listener: ListenerName;
  method: string;
  /** Path without the Kibana `/s/{space}` prefix and without the query. */
  path: string;
  /** Path as received, without the query. */
  fullPath: string;
  /** Path and query as received (ES quotes it in error texts). */
  uri: string;
  query: URLSearchParams;
  rawQuery: string;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  space: string;
  /** Set once authenticated, for the request log. */
  principal: Principal | null;
  /** The ids of the keys the handler made, invalidated, revoked or set to expire, for the request log. */
  objects: string[];
}

export interface EmuResponse {
  status: number;
  body?: Json;
  /** A body that is not JSON (a proxy's page); `headers` give its content type. */
  text?: string;
  headers?: Record<string, string | string[]>;
}

export function json(status: number, body: Json, headers?: Record<string, string | string[]>): EmuResponse {
  return headers ? { status, body, headers } : { status, body };
}

export function header(req: EmuRequest, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
