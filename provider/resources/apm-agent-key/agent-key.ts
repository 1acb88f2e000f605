// An APM agent key is an Elasticsearch API key shaped exactly as Kibana's APM agent key API makes it
// (create_agent_key.ts in Kibana's APM plugin; docs/elastic-api.md A.3): owned by the caller, `metadata.application:
// "apm"`, one role descriptor granting the `apm` application privileges on `*`, no expiration. Kibana lists it as an
// agent key and APM Server accepts it. Made through Elasticsearch directly because that API also stores this create's
// mark in the key's metadata, which proves which key a create made when its answer is lost (SPEC R7); Kibana's route
// takes only a name and privileges.
import type { Connection } from "../../elastic/connection";
import type { Target } from "../../elastic/target";
import { hasPrivileges } from "../../elastic/elasticsearch";
import { CREATE_MARK_METADATA } from "../../framework/create-and-reconcile";
import { ElasticKeysError } from "../../elastic/errors";
import { describeSetting } from "../../elastic/settings";

/**
 * R10: a key made by an API key may hold no privileges — Elasticsearch refuses any other role descriptor ("creating
 * derived api keys requires an explicit role descriptor that is empty", TransportCreateApiKeyAction in its security
 * plugin) — and an agent key holds the `apm` privileges. So an agent key needs a user's credential; the reason is
 * given at preview, before Elasticsearch is asked.
 */
export function agentKeyCreationRefusal(conn: Connection): string | undefined {
  if (conn.elasticsearch().credentials.kind !== "apiKey") return undefined;
  return [
    "APM agent keys cannot be created with an Elasticsearch API key: Elasticsearch lets an API key create only keys",
    'without privileges ("creating derived api keys requires an explicit role descriptor that is empty (has no',
    'privileges)"), and an agent key holds the apm privileges. Fix: give the provider a user instead,',
    `${describeSetting("esUsername")} and ${describeSetting("esPassword")} of a user holding the ApmRole, and unset`,
    `${describeSetting("esApiKey")} (an API key wins when both are set)`,
  ].join(" ");
}

export function agentKeyBody(name: string, privileges: string[], mark: string, expiration?: string) {
  return {
    name,
    ...(expiration !== undefined ? { expiration } : {}),
    role_descriptors: {
      apm: { cluster: [], index: [], applications: [{ application: "apm", privileges, resources: ["*"] }] },
    },
    metadata: { application: "apm", [CREATE_MARK_METADATA]: mark },
  };
}

/**
 * Kibana's first step (A.3): the caller must hold manage_own_api_key and the requested `apm` privileges, or the key
 * would authenticate but be refused by APM Server (a key is limited by its owner's privileges). Asked once per
 * connection and privilege set.
 */
export function requireAgentKeyPrivileges(conn: Connection, es: Target, privileges: string[]): Promise<void> {
  const facts = conn.factsAbout(es);
  const asked = `apm:${privileges.join(",")}`;
  // The check in flight is shared, so creates running side by side ask once; a failed check is asked again.
  const checks = (facts.privilegeChecks ??= new Map());
  let check = checks.get(asked);
  if (!check) {
    check = checkAgentKeyPrivileges(es, privileges);
    checks.set(asked, check);
    check.catch(() => checks.delete(asked));
  }
  return check;
}

async function checkAgentKeyPrivileges(es: Target, privileges: string[]): Promise<void> {
  const res = await hasPrivileges(es, {
    cluster: ["manage_own_api_key"],
    application: [{ application: "apm", privileges, resources: ["*"] }],
  });
  if (!res.has_all_requested) {
    const granted = res.application.apm?.["*"] ?? {};
    const missing = [
      ...privileges.filter((p) => granted[p] !== true).map((p) => `apm application privilege ${p}`),
      ...(res.cluster.manage_own_api_key === true ? [] : ["cluster privilege manage_own_api_key"]),
    ];
    throw new ElasticKeysError(
      "forbidden",
      `${res.username ?? "the Elasticsearch user"} is missing ${missing.join(" and ")}, which an APM agent key needs`,
      {
        endpoint: `POST ${es.urls[0]}/_security/user/_has_privileges`,
        fix: "give the Elasticsearch user the ApmRole (manage_own_api_key and the apm application privileges), or a superset",
      },
    );
  }
}
