// Who answers at a target, asked once per connection. Before a create is sent, the service it goes to must have
// shown that it answers at its URL as itself: a wrong URL (a sign-in page, an SSO proxy, the other service) then
// fails with an error naming the setting before anything is sent or written, instead of a create whose answer proves
// nothing (answers.ts expectCreated) and a record that cannot be settled where it points. Elasticsearch proves
// itself by its product header on any answer (docs/elastic-api.md 0.2), Kibana by `kbn-name` or its error shape
// (0.3). For Elasticsearch the same request tells who the credential is (E.2), which key creates need anyway.
import type { Connection, Identity } from "./connection";
import type { Service, Target } from "./target";
import { authenticate } from "./elasticsearch";
import { unexpected, whoAnswered } from "./answers";
import { ElasticKeysError, hasCode } from "./errors";
import { send } from "./retry";

/** Who the credential is (E.2: `GET /_security/_authenticate`, which every authenticated principal may call). */
export async function identityOf(conn: Connection, es: Target): Promise<Identity> {
  const facts = conn.factsAbout(es);
  facts.identity ??= authenticate(es).then((me) => ({
    username: me.username,
    // The realm that owns what this principal creates: the looked-up user's realm under run_as.
    realm: me.lookup_realm?.name ?? me.authentication_realm?.name ?? "",
  }));
  return facts.identity.catch((err: unknown) => {
    delete facts.identity;
    throw err;
  });
}

export const sameIdentity = (a: Identity | undefined, b: Identity) =>
  !!a && a.username === b.username && a.realm === b.realm;

/**
 * Kibana's status route (docs/elastic-api.md E.3): every Kibana has it at its base path and any principal may call it.
 * An answer from Kibana, whatever its status, proves Kibana answers at the URL.
 */
const KIBANA_PROBE = "/api/status";

/**
 * Resolves once `target`'s service has shown it answers at its URL (at most one request per connection and target;
 * none for Elasticsearch when the credential's identity is already known). Throws the error naming the setting when
 * something else answers. A refusal by the service itself (401, 403, 5xx) proves it is there: the create reports it.
 */
export function proveServiceAnswers(conn: Connection, target: Target): Promise<void> {
  const facts = conn.factsAbout(target);
  facts.serviceProven ??= (
    target.service === "Elasticsearch" ? proveElasticsearch(conn, target) : proveKibana(target)
  ).catch((err: unknown) => {
    delete facts.serviceProven; // not proven: asked again by the next create
    throw err;
  });
  return facts.serviceProven;
}

async function proveElasticsearch(conn: Connection, es: Target): Promise<void> {
  try {
    await identityOf(conn, es);
  } catch (err) {
    // Any answer from Elasticsearch itself proves it; what else answered (unexpected_answer), or nothing, does not.
    if (hasCode(err, "unauthorized") || hasCode(err, "forbidden") || hasCode(err, "server_error")) return;
    throw err;
  }
}

async function proveKibana(target: Target): Promise<void> {
  const res = await send(target, { method: "GET", path: KIBANA_PROBE, idempotent: true });
  if (whoAnswered(res, target.service))
    throw unexpected(res, notAnswering(target.service, res.endpoint), { service: target.service });
}

const notAnswering = (service: Service, endpoint: string) =>
  `${service} does not answer at its URL (asked with ${endpoint} before creating anything; nothing was created or written)`;

/**
 * Whether something answers at `urls` without being `target`'s service (a sign-in page, a proxy, the other service):
 * asked without the credential, so a URL the settings no longer name never receives it. Elasticsearch and Kibana mark
 * even the 401 they give a request without credentials (docs/elastic-api.md 0.2, 0.3 gate 2). False when the
 * service answers, undefined when nothing does (unreachable, an untrusted certificate): neither proves anything.
 * One attempt per node, never retried: an answer decides, and no answer leaves the record a cluster.
 */
export async function answersAsAnotherService(target: Target, urls: readonly string[]): Promise<boolean | undefined> {
  const elsewhere: Target = { ...target, urls, key: `${target.key}|${urls.join(",")}` };
  const path = target.service === "Elasticsearch" ? "/" : KIBANA_PROBE;
  try {
    const once = { ...target.policy, budgetMs: 0 };
    const res = await send(elsewhere, { method: "GET", path, idempotent: true, anonymous: true }, once);
    return whoAnswered(res, target.service) !== "";
  } catch (err) {
    if (err instanceof ElasticKeysError) return undefined;
    throw err;
  }
}
