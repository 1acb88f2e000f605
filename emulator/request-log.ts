// The request log of the admin surface. Entries never hold a credential: only the identity that authenticated.
import { ListenerName } from "./http-types";

export interface RequestLogEntry {
  listener: ListenerName;
  method: string;
  path: string;
  query: string;
  /** 0 when the connection was cut instead of answered (reset and commit-then-fail faults). */
  status: number;
  identity: string | null;
  /**
   * The ids of the keys the request made, invalidated, revoked or set to expire (API keys, or Fleet enrollment keys), whether or
   * not its answer reached the client: which request made or retired a key, and so in which order.
   */
  objects: string[];
  time: number;
  durationMs: number;
}

export class RequestLog {
  private entries: RequestLogEntry[] = [];

  add(entry: RequestLogEntry): void {
    this.entries.push(entry);
  }

  list(): RequestLogEntry[] {
    return this.entries.map((e) => ({ ...e }));
  }

  clear(): void {
    this.entries = [];
  }
}
