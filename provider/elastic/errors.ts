// The one error type of the provider. Every message names the resource, the endpoint, the status, Elastic's own
// message and the fix. Its texts are cleaned of credential-shaped values when it is made (`redact`) and of the
// connection's own secrets when it leaves the connection (`redactedBy`), so no credential or key can reach the CLI or
// a log. Code branches on `code`, never on message text.
import { redact, type Redactor } from "./redaction";

/** What went wrong, stable across wording changes. */
export type ErrorCode =
  /** The inputs or the settings are wrong (check failures, and Elastic's 400s). */
  | "invalid_input"
  /** A connection setting is missing. */
  | "not_configured"
  /** Elastic refused the credential (401). */
  | "unauthorized"
  /** The credential lacks a privilege (403, or a 200 carrying a privilege error). */
  | "forbidden"
  /** The name or object is already taken (409, or an existing role). */
  | "conflict"
  /** The API proved that something the operation needs does not exist (e.g. the agent policy). */
  | "not_found"
  /** No answer within the retry budget. */
  | "unreachable"
  /** The server's TLS certificate is not trusted. */
  | "tls_untrusted"
  /** A create was sent and its outcome is unknown (5xx after sending, or the answer was lost). */
  | "outcome_unknown"
  /** The answer is not Elastic's (a proxy, a wrong URL or path prefix, the other service). */
  | "unexpected_answer"
  /** The APIs cannot prove what the operation must know (e.g. a key the credential cannot see). */
  | "undecidable"
  /** Elastic answered 5xx. */
  | "server_error"
  /** A bug in this provider. */
  | "internal";

export interface ElasticKeysErrorDetails {
  /** e.g. `ApmAgentKey "ingest"` */
  resource?: string;
  /** e.g. `POST http://127.0.0.1:9200/_security/api_key` */
  endpoint?: string;
  status?: number;
  /** Elastic's own message, as the server wrote it. */
  elasticMessage?: string;
  /** What the user can do about it. */
  fix?: string;
  /** The error underneath (kept for debugging; never shown in the message). */
  cause?: unknown;
  /** outcome_unknown only: the request timed out, so the server may still be carrying it out. */
  inFlight?: boolean;
  /** outcome_unknown only: how long to wait before trying again (the server's Retry-After, or a backoff). */
  retryAfterMs?: number;
  /**
   * For a create that may have left something on the server: what the engine should keep in state (id and outputs)
   * so a later `up`, `refresh` or `destroy` can find and settle it. Front ends hand it to the engine as a resource
   * that failed to initialize.
   */
  partialState?: { id: string; outs: Record<string, unknown> };
}

export class ElasticKeysError extends Error {
  readonly code: ErrorCode;
  readonly details: ElasticKeysErrorDetails;
  readonly summary: string;

  constructor(code: ErrorCode, summary: string, details: ElasticKeysErrorDetails = {}) {
    super(redact(formatMessage(summary, details)), details.cause !== undefined ? { cause: details.cause } : undefined);
    this.name = "ElasticKeysError";
    this.code = code;
    this.summary = redact(summary);
    this.details = {
      ...details,
      elasticMessage: details.elasticMessage && redact(details.elasticMessage),
      fix: details.fix && redact(details.fix),
    };
  }

  /** The same error, attributed to a resource (lifecycles add this once they know which resource failed). */
  forResource(resource: string): ElasticKeysError {
    if (this.details.resource) return this;
    return new ElasticKeysError(this.code, this.summary, { ...this.details, resource });
  }

  /** The same error without any secret `redactor` holds (the connection it leaves, lifecycle.ts). */
  redactedBy(redactor: Redactor): ElasticKeysError {
    const d = this.details;
    const clean = (text: string | undefined) => text && redactor.apply(text);
    return new ElasticKeysError(this.code, redactor.apply(this.summary), {
      ...d,
      elasticMessage: clean(d.elasticMessage),
      fix: clean(d.fix),
      resource: clean(d.resource),
    });
  }

  /** The same error with more details (e.g. the partial state of an unresolved create). */
  with(details: ElasticKeysErrorDetails): ElasticKeysError {
    return new ElasticKeysError(this.code, this.summary, { ...this.details, ...details });
  }
}

/** Where a fix names the resource's URN, which only the native plugin is told (it fills it in). */
export const URN_PLACEHOLDER = "<this resource's URN>";

/** The error with its fix naming the resource's URN instead of the placeholder. */
export function withUrn(err: unknown, urn: string): unknown {
  if (!(err instanceof ElasticKeysError) || !err.details.fix?.includes(URN_PLACEHOLDER)) return err;
  return err.with({ fix: err.details.fix.split(URN_PLACEHOLDER).join(`'${urn}'`) });
}

export function hasCode(err: unknown, ...codes: ErrorCode[]): err is ElasticKeysError {
  return err instanceof ElasticKeysError && codes.includes(err.code);
}

function formatMessage(summary: string, d: ElasticKeysErrorDetails): string {
  const head = d.resource ? `${d.resource}: ${summary}` : summary;
  const lines = [head];
  if (d.endpoint) lines.push(`  endpoint: ${d.endpoint}${d.status !== undefined ? ` -> HTTP ${d.status}` : ""}`);
  if (d.elasticMessage) lines.push(`  Elastic says: ${d.elasticMessage}`);
  if (d.fix) lines.push(`  fix: ${d.fix}`);
  return lines.join("\n");
}

/** Wraps anything thrown by a lifecycle so the resource is named and nothing unredacted escapes. */
export function attributeError(resource: string, err: unknown): ElasticKeysError {
  if (err instanceof ElasticKeysError) return err.forResource(resource);
  const message = err instanceof Error ? err.message : String(err);
  return new ElasticKeysError("internal", message, { resource, cause: err });
}
