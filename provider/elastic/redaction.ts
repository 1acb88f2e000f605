// What an error text or a warning must never show. Two layers: patterns any text is cleaned of wherever it is made
// (an Authorization-shaped value, a URL's user-info), and the secrets one connection knows (its credentials, the keys
// its operations issued), which it removes from whatever leaves it (lifecycle.ts, the command line). An echoed
// answer's secret fields are also removed by name (answer-secrets.ts), whatever a redactor holds.

/** Removes anything shaped like an Authorization header value and the user-info part of URLs. Stateless. */
export function redact(text: string): string {
  return text
    .replace(/\b(Basic|ApiKey|Bearer)\s+[A-Za-z0-9+/=._-]{8,}/g, "$1 [redacted]")
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/\s?#@]*@/gi, "$1[redacted]@");
}

/** How many secrets one redactor keeps: a long-lived connection issues a key per create, the oldest go first. */
export const REDACTION_LIMIT = 4096;

/** The secrets one connection knows, most recent last, bounded by REDACTION_LIMIT. */
export class Redactor {
  private readonly secrets = new Set<string>();

  /** A value that must never appear in a text leaving the connection (values under 4 characters are not secrets). */
  add(value: string | undefined): void {
    if (!value || value.length < 4) return;
    this.secrets.delete(value); // added again: now the most recent
    this.secrets.add(value);
    if (this.secrets.size > REDACTION_LIMIT) this.secrets.delete(this.secrets.values().next().value as string);
  }

  /** The text without any secret this redactor holds, and without what `redact` removes. */
  apply(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join("[redacted]");
    return redact(out);
  }
}
