// What a request is sent to: a service, its nodes, the credential and TLS settings, and the HTTP policy. Types only,
// so every module of the HTTP layer can name them without importing another's code.

import type { HttpSession } from "./http-session";

export type Credentials = { kind: "basic"; username: string; password: string } | { kind: "apiKey"; apiKey: string };

export type Service = "Elasticsearch" | "Kibana" | "Fleet";

/**
 * What the user configured a target's URLs as: Fleet without an endpoint of its own is reached at Kibana's, so an
 * unreachable or wrong URL is named by the service and the setting that supplied it, never by the API called.
 */
export interface EndpointOrigin {
  service: Service;
  /** e.g. "env KIBANA_ENDPOINT" or "stack config `elastic:kibanaEndpoint`". */
  setting: string;
}

export interface Target {
  /** The API called: judges whether an answer came from the service we meant to reach. */
  service: Service;
  /** Where its URLs came from (named in messages about reaching them or about who answered). */
  origin: EndpointOrigin;
  /** Base URLs in order of preference; the next is tried when one cannot be reached (never after an answer). */
  urls: readonly string[];
  credentials: Credentials;
  caCert?: string;
  insecure: boolean;
  /** Identifies the target and its credential within this process (pools, what was learned about it). */
  key: string;
  /** Timeouts, retry budget and backoff (the connection's `http*` settings, then `ELASTIC_KEYS_HTTP_*`). */
  policy: HttpPolicy;
  /** The pools and node preferences of the connection the target belongs to. */
  session: HttpSession;
}

export interface HttpPolicy {
  /** How long an idempotent request may wait for its answer. */
  timeoutMs: number;
  /**
   * How long a create may wait for its answer. Longer than timeoutMs: a create given up on may still be carried out
   * by the server, and its secret would be lost, so a slow answer is worth waiting for.
   */
  createTimeoutMs: number;
  budgetMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}
