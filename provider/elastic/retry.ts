// Retrying, as its own layer over transport.ts: exponential backoff with jitter honouring Retry-After, bounded by a
// total time budget; the next node when one cannot be reached (never after an answer). Requests that create
// something are never sent again once they may have reached the server: an answer that proves neither success nor
// refusal, or none, is an outcome_unknown error the caller settles by the create's mark (create-and-reconcile.ts).
import type { HttpPolicy, Target } from "./target";
import { ElasticKeysError } from "./errors";
import { exchange, isExchangeFailure, type ExchangeFailure, type HttpRequest, type HttpResponse } from "./transport";
import { createStatusProvesNothing, lostCreateAnswer } from "./answers";

const RETRYABLE_STATUS: ReadonlySet<number> = new Set([429, 502, 503, 504]);

function retryAfterMs(raw: string | undefined): number | undefined {
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function backoffMs(policy: HttpPolicy, attempt: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return ceiling / 2 + Math.random() * (ceiling / 2); // "equal jitter": never zero, never in lock-step
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function send(
  target: Target,
  req: HttpRequest,
  policy: HttpPolicy = target.policy,
): Promise<HttpResponse> {
  const started = Date.now();
  const nodes = target.urls;
  const preferredNode = target.session.preferredNode; // the connection's: the last node that answered
  let node = preferredNode.get(target.key) ?? 0;
  let unreachableInRow = 0;
  let lastFailure: ExchangeFailure | undefined;
  for (let attempt = 0; ; attempt++) {
    const baseUrl = nodes[node % nodes.length];
    let wait: number;
    try {
      const res = await exchange(target, baseUrl, req, req.idempotent ? policy.timeoutMs : policy.createTimeoutMs);
      preferredNode.set(target.key, node % nodes.length);
      if (!req.idempotent) {
        // Any 5xx, 408 or 429 may come after the write was committed (README, Troubleshooting): never sent again
        // here; the create settles it by its mark, waiting as long as the server asked.
        if (!createStatusProvesNothing(res.status)) return res;
        const retryAfter = retryAfterMs(res.retryAfter) ?? backoffMs(policy, 0);
        throw lostCreateAnswer(res, `an HTTP ${res.status} may come after the server applied it`, {
          retryAfterMs: Math.min(retryAfter, policy.budgetMs),
        });
      }
      if (!RETRYABLE_STATUS.has(res.status)) return res;
      wait = retryAfterMs(res.retryAfter) ?? backoffMs(policy, attempt);
      if (wait > policy.budgetMs - (Date.now() - started)) return res; // out of budget: the caller reports it
    } catch (err) {
      if (!isExchangeFailure(err)) throw err;
      lastFailure = err;
      const endpoint = `${req.method} ${baseUrl}${req.path}`;
      if (err.certificate) {
        throw new ElasticKeysError(
          "tls_untrusted",
          `the TLS certificate of ${target.origin.service} at ${baseUrl} is not trusted (${err.code})`,
          {
            endpoint,
            cause: err.cause,
            fix: `give the server's CA certificate with the CA certificate setting of ${target.origin.service} (PEM data or a file path; see README, Configuration), or, for testing only, set its insecure setting`,
          },
        );
      }
      if (err.sent && !req.idempotent) {
        throw new ElasticKeysError(
          "outcome_unknown",
          err.timedOut
            ? `the create got no answer within ${Math.round(policy.createTimeoutMs / 1000)}s; the server may still carry it out`
            : `the connection failed (${err.code}) after the create was sent; it may or may not have been applied`,
          { endpoint, cause: err.cause, inFlight: err.timedOut },
        );
      }
      // A connection error, never an answer: the next node, at once while some are untried in this round.
      node++;
      unreachableInRow++;
      if (unreachableInRow < nodes.length) continue;
      unreachableInRow = 0;
      wait = backoffMs(policy, attempt);
    }
    if (wait > policy.budgetMs - (Date.now() - started)) {
      const tried = nodes.length > 1 ? `any of ${nodes.join(", ")}` : nodes[0];
      throw new ElasticKeysError(
        "unreachable",
        `cannot reach ${target.origin.service} at ${tried} (${lastFailure?.code ?? "no answer"})`,
        {
          endpoint: `${req.method} ${nodes[node % nodes.length]}${req.path}`,
          cause: lastFailure?.cause,
          fix: `check that ${target.origin.service} is running and that ${target.origin.setting} is right; retried for ${Math.round((Date.now() - started) / 1000)}s (the httpBudgetMs setting, or ELASTIC_KEYS_HTTP_BUDGET_MS)`,
        },
      );
    }
    await sleep(wait);
  }
}
