// What of a server's answer may be printed. An answer can hold a secret in any shape: a create's own body echoed
// with an error status (`api_key`, `encoded`), Fleet's enrollment token, a proxy's HTML page quoting the body, a
// field whose type a proxy changed. Before any of it reaches a message, the values of fields named like secrets are
// replaced, whatever their type and however deep, and in free text so are runs that look like keys or tokens.
// Registered secrets and Authorization values are removed later as well (errors.ts).

const REDACTED = "[redacted]";

/** Field names whose values are secrets: `api_key`, `apiKey`, `encoded`, `*token`, `*secret`, `password`, … */
const SECRET_NAME = "[A-Za-z_-]*(?:api[_-]?key|encoded|token|secret|password|credentials?|authorization)";
const SECRET_FIELD = new RegExp(`^${SECRET_NAME}s?$`, "i");
const isSecretField = (name: string): boolean => SECRET_FIELD.test(name);

/** The body with every secret-named field's value replaced, at any depth and of any type. */
export function redactBody(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactBody);
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, isSecretField(k) ? REDACTED : redactBody(v)] as const),
    );
  return typeof value === "string" ? redactTokens(value) : value;
}

const ENTITIES: Record<string, string> = { quot: '"', "#34": '"', "#x22": '"', apos: "'", "#39": "'", amp: "&" };

/**
 * `name: value` and `"name":"value"` pairs in text (JSON, HTML with its quotes as entities, form-style `name=value`)
 * whose name is a secret's: the value goes, also when the text was cut in the middle of it.
 */
const SECRET_PAIR = new RegExp(
  `(${SECRET_NAME}s?["']?\\s*[:=]\\s*)("(?:[^"\\\\]|\\\\.)*"?|'[^']*'?|\\[[^\\]]*\\]?|\\{[^}]*\\}?|[^\\s,;&}\\]<]+)`,
  "gi",
);

/** Runs of 20 or more key characters mixing upper case, lower case and digits: API keys, their `encoded` form, tokens. */
const TOKEN_RUN = /[A-Za-z0-9+/_-]{20,}={0,2}/g;
const looksLikeToken = (run: string): boolean => /[A-Z]/.test(run) && /[a-z]/.test(run) && /[0-9]/.test(run);

/** Free text with token-like runs removed (for bodies that are not an error's own words: a dump, a page). */
export function redactTokens(text: string): string {
  return text.replace(TOKEN_RUN, (run) => (looksLikeToken(run) ? REDACTED : run));
}

/** Text from a server (an error's message, a page snippet) with the values of secret-named pairs removed. */
export function redactSecretPairs(text: string): string {
  const decoded = text.replace(/&(quot|#34|#x22|apos|#39|amp);/gi, (m, e: string) => ENTITIES[e.toLowerCase()] ?? m);
  return decoded.replace(SECRET_PAIR, (_m, name: string, value: string) =>
    value.startsWith('"') ? `${name}"${REDACTED}"` : `${name}${REDACTED}`,
  );
}
