// The one error type of the provider. Every message names the resource, the endpoint, the status, Elastic's own
// message and the fix, and passes through `redact` so no credential or key can reach the CLI or a log.

const secretsToRedact = new Set<string>();

/** Registers a value that must never appear in an error message (credentials, issued keys). */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 4) secretsToRedact.add(value);
}

/** Replaces every registered secret, and anything shaped like an Authorization header value, with a marker. */
export function redact(text: string): string {
  let out = text;
  for (const secret of secretsToRedact) out = out.split(secret).join("[redacted]");
  return out.replace(/\b(Basic|ApiKey|Bearer)\s+[A-Za-z0-9+/=._-]{8,}/g, "$1 [redacted]");
}

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
}

export class ElasticKeysError extends Error {
  readonly details: ElasticKeysErrorDetails;
  readonly summary: string;

  constructor(summary: string, details: ElasticKeysErrorDetails = {}) {
    super(redact(formatMessage(summary, details)));
    this.name = "ElasticKeysError";
    this.summary = redact(summary);
    this.details = { ...details, elasticMessage: details.elasticMessage && redact(details.elasticMessage) };
  }

  /** The same error, attributed to a resource (lifecycles add this once they know which resource failed). */
  forResource(resource: string): ElasticKeysError {
    if (this.details.resource) return this;
    return new ElasticKeysError(this.summary, { ...this.details, resource });
  }
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
export function attributeError(resource: string, err: unknown): Error {
  if (err instanceof ElasticKeysError) return err.forResource(resource);
  const message = err instanceof Error ? err.message : String(err);
  return new ElasticKeysError(message, { resource });
}
