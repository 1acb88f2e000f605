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
