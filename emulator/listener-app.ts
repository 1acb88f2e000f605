// What the transport layer needs from each emulated server (ES or Kibana).
import { EmuRequest, EmuResponse, ListenerName } from "./http-types";

export interface ListenerApp {
  name: ListenerName;
  /** Splits a received path into the routed path and the Kibana space ("default" for ES). */
  splitPath(fullPath: string): { path: string; space: string };
  /** Handles a request completely; never throws. */
  handle(req: EmuRequest): EmuResponse;
  /** The body of an injected status fault, in this server's error shape. */
  faultResponse(status: number): EmuResponse;
  /** The answer to a body over the size limit. */
  tooLarge(limitBytes: number): EmuResponse;
  /** Headers every response of this server carries. */
  commonHeaders(req: EmuRequest): Record<string, string>;
}
