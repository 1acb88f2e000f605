// ApmAgentKey: see SPEC.md (R1–R14).
import {
  createMarkedKey,
  identityOf,
  markedKeyLeftovers,
  readKeyState,
  sameIdentity,
  type KeyOwner,
} from "../shared/api-keys";
import { apiKeyVerdict, warningHorizonMs } from "../shared/key-schedule";
import { keyTimes } from "../shared/key-times";
import { endOldKey, noOverlapNotice, reportRetiring, retirePredecessor } from "../shared/retiring-keys";
import type { Connection } from "../../elastic/connection";
import { ElasticKeysError } from "../../elastic/errors";
import { createApiKey, updateApiKey } from "../../elastic/elasticsearch";
import { agentKeyDifferences, agentKeyMetadata, type AgentKeyDrift, type Repair } from "./drift";
import { apmAgentKeyOutputs } from "./outputs";
import { defineLifecycle, MARK_INPUT } from "../../framework/lifecycle";
import { agentKeyBody, agentKeyCreationRefusal, requireAgentKeyPrivileges } from "./agent-key";
import { apmAgentKeyInputs, type ApmAgentKeyInputs, type ApmAgentKeyOutputs } from "./schema";

/**
 * R14: the update API works only for the key's owner, as a user (not an API key); anyone else replaces the key.
 */
async function repairFor(conn: Connection, owner: KeyOwner | undefined): Promise<Repair> {
  const es = conn.elasticsearch();
  if (es.credentials.kind === "apiKey") return "replace";
  return sameIdentity(owner, await identityOf(conn, es)) ? "update" : "replace";
}

const REPAIRS: Record<Repair, string> = {
  update: "The next `pulumi up` restores them through the update API (same key, same secret).",
  replace:
    "This credential does not own the key, so the next `pulumi up` replaces it: a new key first, then this one is invalidated.",
};

export const apmAgentKeyLifecycle = defineLifecycle<ApmAgentKeyInputs, ApmAgentKeyOutputs, "ApmAgentKey">({
  type: "ApmAgentKey",
  description:
    "An APM agent API key, exactly as Kibana's APM agent key API makes it — an Elasticsearch API key owned by the caller, `metadata.application: \"apm\"`, one role descriptor with the `apm` application privileges on `*`, no expiration — so Kibana lists it under APM agent keys and APM Server accepts it. It is made through the Elasticsearch API key API (`POST /_security/api_key`), after the same privilege check Kibana makes, because that API also stores the create's mark in the key's metadata (`pulumi_elastic_keys_create`): when a create's answer is lost, the mark proves which key it made. **Needs** the `ApmRole` privileges (`manage_own_api_key` and the `apm` application privileges, or a superset) for the Elasticsearch user, with a username and password (a key made by an API key may hold no privileges, so an API key is refused at preview); Kibana is not involved. **Refresh**: invalidated, expired or deleted ⇒ removed from state, recreated by the next `up`; a key the credential cannot see fails the refresh; privileges or metadata changed outside Pulumi (the update API, e.g. `role_descriptors: {}`, which hands the key all of its owner's privileges) are read back and shown as a change, which the next `up` repairs — through the update API (same key, same secret) when the credential is the key's owner, otherwise by replacing the key. **Delete** invalidates as the owner (`owner: true`), then as an admin for another user's key, and succeeds only when Elasticsearch confirms.",
  outputs: apmAgentKeyOutputs,
  schema: apmAgentKeyInputs,
  replaceOn: ["name", "privileges", "expiration", "rotationTrigger"], // R4; the schedule changes in place (R12)
  marked: true, // R7
  insteadOfImport:
    "An existing key's secret cannot be read back, so it cannot become a resource with its secret outputs: let this resource create a new key, move its consumers over, then invalidate the old one.",
  example: ({ name }) => ({ name, privileges: ["event:write"] }),
  // The answer carries id and secret; once per process the caller's identity (the key's owner) and Kibana's check
  // of the apm privileges.
  createRequests: {
    each: ["POST /_security/api_key"],
    oncePerProcess: ["GET /_security/_authenticate", "POST /_security/user/_has_privileges"],
  },
  target: (conn) => conn.elasticsearch(),
  // R10: refused at preview whenever a key is to be made (a create, or a replacement: every change replaces).
  checkCreate: async (conn) => agentKeyCreationRefusal(conn),
  checkTransition: (_olds, _news, _replaced, conn) => agentKeyCreationRefusal(conn),

  async create({ conn }, inputs, mark) {
    const es = conn.elasticsearch();
    await requireAgentKeyPrivileges(conn, es, inputs.privileges); // R2
    const { key, owner } = await createMarkedKey(conn, inputs.name, mark!, () =>
      createApiKey(es, agentKeyBody(inputs.name, inputs.privileges, mark!, inputs.expiration)),
    );
    const times = await keyTimes(conn, key.id, owner, inputs, { expiration: key.expiration }); // R12
    return { id: key.id, outs: { keyId: key.id, owner, apiKey: key.api_key, encoded: key.encoded, ...times } };
  },

  async read(ctx, id, olds) {
    const { conn, label } = ctx;
    const state = await readKeyState(conn, id, olds.owner); // R5
    if (!state.live) return undefined;
    if (olds.retireAfter !== undefined) await reportRetiring(ctx, olds); // R13
    // R14: privileges or metadata changed outside Pulumi are recorded, shown, and repaired by the next `up`.
    const found = agentKeyDifferences(state.key, olds.privileges, olds[MARK_INPUT]);
    let drift: AgentKeyDrift | undefined;
    if (found.length > 0) {
      drift = { found, repair: await repairFor(conn, olds.owner) };
      await conn.warn(`${label}: changed outside Pulumi: ${found.join("; ")}. ${REPAIRS[drift.repair]}`);
    }
    const times = await keyTimes(conn, id, olds.owner, olds, state.key);
    return { keyId: id, owner: olds.owner, apiKey: olds.apiKey, encoded: olds.encoded, ...times, drift };
  },

  hasDrift: (olds) => olds.drift !== undefined,
  driftReplaces: (olds) => (olds.drift as AgentKeyDrift | undefined)?.repair === "replace",

  // Two things reach an update (every other input change replaces the key): drift, which the update API repairs
  // (R14: the descriptors and the metadata restored; same key id, same secret), and a change of the schedule alone
  // (R12: nothing is sent but what its instants need).
  async update({ conn }, id, olds, news) {
    if (olds.drift !== undefined) {
      if ((await repairFor(conn, olds.owner)) !== "update")
        throw new ElasticKeysError(
          "undecidable",
          `API key ${id} cannot be repaired in place: only its owner (${olds.owner.username}) may update it`,
          {
            fix: "run `pulumi refresh` with this credential, then `pulumi up`: it replaces the key (new key first, then the old one invalidated); or run `pulumi up` as the key's owner",
          },
        );
      const body = agentKeyBody(news.name, news.privileges, "");
      await updateApiKey(conn.elasticsearch(), id, {
        role_descriptors: body.role_descriptors,
        metadata: agentKeyMetadata(olds[MARK_INPUT]),
      });
    }
    const times = await keyTimes(conn, id, olds.owner, news, { createdAt: olds.createdAt, expiresAt: olds.expiresAt });
    return { keyId: id, owner: olds.owner, apiKey: olds.apiKey, encoded: olds.encoded, ...times, drift: undefined };
  },

  schedule: ({ conn }, id, _olds, news) => apiKeyVerdict(conn, id, news, warningHorizonMs(conn)), // R12

  replacementNotice: (ctx, id, olds) => noOverlapNotice(ctx, id, olds), // R13: said at preview
  retirePredecessor: (ctx, id, olds, successor) => retirePredecessor(ctx, id, olds, successor, false), // R13

  async delete(ctx, id, olds) {
    await endOldKey(ctx, id, olds); // R6, R13
  },

  unresolvedLeftovers: ({ conn }, outs) =>
    markedKeyLeftovers(conn, String(outs.name), String(outs[MARK_INPUT]), outs.owner as KeyOwner | undefined),
});
