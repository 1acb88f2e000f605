// Proxies in front of Elasticsearch or Kibana that pass everything on: one that waits before handing an answer back
// (to change the server at that moment), and one that keeps every answer's text and the secrets those answers held —
// what a test proves never reaches an error, the CLI's output or state in plaintext, also for answers the client
// could not trust (garbled by a fault) whose keys it never recorded.
import { createServer, request } from "node:http";

export interface RecordingProxy {
  url: string;
  /** Every answer's body as it passed, in order. */
  answers: string[];
  /** The secrets any answer held so far: `api_key`, `encoded`, and the base64 of `<id>:` that begins `encoded`. */
  secrets(): string[];
  close(): Promise<void>;
}

/** The secrets in answer texts, whatever the shape: JSON, a field turned into a list, an HTML page quoting it. */
export function secretsIn(texts: string[]): string[] {
  const found = new Set<string>();
  for (const raw of texts) {
    const text = raw.replace(/&quot;/g, '"');
    for (const m of text.matchAll(/"(api_key|encoded)"\s*:\s*\[?\s*"([^"]+)"/g)) found.add(m[2]);
    // An API key's id beside its secret: `encoded` starts with the base64 of `<id>:` (20 + 1 bytes → 28 characters).
    for (const m of text.matchAll(/"id"\s*:\s*\[?\s*"([^"]+)"[^{}]*"api_key"/g))
      found.add(Buffer.from(`${m[1]}:`).toString("base64"));
  }
  return [...found];
}

export async function recordingProxy(target: string): Promise<RecordingProxy> {
  const answers: string[] = [];
  const proxy = await forwardingProxy(target, async ({ body }) => void answers.push(body));
  return { ...proxy, answers, secrets: () => secretsIn(answers) };
}

/**
 * A proxy in front of `target` that passes every request on and, before it hands an answer back, awaits
 * `beforeAnswer` — to change the server at the exact moment between an answer and the client's next request, or to
 * record the answer.
 */
export async function forwardingProxy(
  target: string,
  beforeAnswer: (exchange: { method: string; url: string; status: number; body: string }) => Promise<void>,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const upstream = request(
      new URL(req.url ?? "/", target),
      { method: req.method, headers: req.headers },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on("data", (chunk: Buffer) => chunks.push(chunk));
        answer.on("end", () => {
          const status = answer.statusCode ?? 0;
          const body = Buffer.concat(chunks).toString("utf8");
          void beforeAnswer({ method: req.method ?? "GET", url: req.url ?? "/", status, body })
            .then(() => {
              res.writeHead(status, answer.headers);
              res.end(Buffer.concat(chunks));
            })
            .catch((err: unknown) => {
              res.destroy();
              throw err; // an unhandled rejection: the test run fails
            });
        });
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

export interface SignInPage {
  url: string;
  /** Every request it was sent: method, path, and whether it carried a credential. */
  requests: { method: string; url: string; authorized: boolean }[];
  close(): Promise<void>;
}

/**
 * What answers at a wrong URL: an SSO proxy's or a login page's `200` HTML sign-in page, for every request, with
 * none of the product's marks (no `X-Elastic-Product`, no `kbn-name`).
 */
export async function signInPage(): Promise<SignInPage> {
  const requests: SignInPage["requests"] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? "GET", url: req.url ?? "/", authorized: !!req.headers.authorization });
    req.resume();
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(
      '<!doctype html><html><head><title>Sign in</title></head><body><form action="/login">Sign in to continue</form></body></html>',
    );
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
