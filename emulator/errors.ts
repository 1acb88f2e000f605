// Error types of the two servers. ES errors render as the {"error":{…},"status":N} envelope (docs/elastic-api.md 0.1);
// Kibana errors as Boom objects (0.3).
import { Json, JsonObject } from "./json";

export interface EsCause {
  type: string;
  reason: string;
}

export class EsError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly reason: string,
    readonly extra: {
      causedBy?: EsCause;
      /** The deepest cause when it differs from the error itself (search failures wrap a shard's cause). */
      rootCause?: EsCause;
      header?: Record<string, string[]>;
      responseHeaders?: Record<string, string[]>;
    } = {},
  ) {
    super(reason);
  }

  /** The envelope body. root_cause lists the error itself, as ES does for non-wrapped exceptions. */
  toBody(): JsonObject {
    const head: JsonObject = { type: this.type, reason: this.reason };
    if (this.extra.header) head.header = this.extra.header;
    const root = this.extra.rootCause ? { ...this.extra.rootCause } : { ...head };
    const error: JsonObject = { root_cause: [root], ...head };
    if (this.extra.causedBy) error.caused_by = { ...this.extra.causedBy };
    return { error, status: this.status };
  }

  /** The message the official JS client puts on its ResponseError, which Kibana relays (A.3). */
  clientMessage(): string {
    return `${this.type}: [${this.type}] Reason: ${this.reason}`;
  }
}

/** A response that does not use the envelope (404 `{}`, `{"found":false}`, routing errors…). */
export class EsRawError extends Error {
  constructor(
    readonly status: number,
    readonly body: Json,
  ) {
    super(`ES ${status}`);
  }
}

export function illegalArgument(reason: string, causedBy?: EsCause): EsError {
  return new EsError(400, "illegal_argument_exception", reason, causedBy ? { causedBy } : {});
}

/** "Validation Failed: 1: a;2: b;" (0.1). */
export function validationFailed(messages: string[]): EsError {
  const text = messages.map((m, i) => `${i + 1}: ${m};`).join("");
  return new EsError(400, "action_request_validation_exception", `Validation Failed: ${text}`);
}

export function parseError(reason: string): EsError {
  return new EsError(400, "parse_exception", reason);
}

export function xContentParseError(reason: string, causedBy?: EsCause): EsError {
  return new EsError(400, "x_content_parse_exception", reason, causedBy ? { causedBy } : {});
}

export const HTTP_REASON: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  409: "Conflict",
  413: "Payload Too Large",
  415: "Unsupported Media Type",
  429: "Too Many Requests",
  499: "Client Closed Request",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

export class BoomError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly attributes?: JsonObject,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toBody(): JsonObject {
    const body: JsonObject = {
      statusCode: this.statusCode,
      error: HTTP_REASON[this.statusCode] ?? "Unknown",
      message: this.message,
    };
    if (this.attributes) body.attributes = this.attributes;
    return body;
  }
}

export const boom = {
  badRequest: (message: string, attributes?: JsonObject) => new BoomError(400, message, attributes),
  unauthorized: () => new BoomError(401, "Unauthorized"),
  forbidden: (message: string, attributes?: JsonObject) => new BoomError(403, message, attributes),
  notFound: (message = "Not Found") => new BoomError(404, message),
  conflict: (message: string) => new BoomError(409, message),
  internal: (message: string, attributes?: JsonObject) => new BoomError(500, message, attributes),
};
