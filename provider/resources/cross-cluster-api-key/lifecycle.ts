// CrossClusterApiKey: see SPEC.md (R1–R12).
import { createMarkedKey, markedKeyLeftovers, readKeyState, type KeyOwner } from "../shared/api-keys";
import { apiKeyVerdict, warningHorizonMs } from "../shared/key-schedule";
import { keyTimes } from "../shared/key-times";
import { endOldKey, noOverlapNotice, reportRetiring, retirePredecessor } from "../shared/retiring-keys";
import { withMark, withoutMark } from "../shared/marks";
import { createCrossClusterApiKey, updateCrossClusterApiKey } from "../../elastic/elasticsearch";
import { crossClusterApiKeyOutputs } from "./outputs";
import { defineLifecycle, MARK_INPUT, sameValue } from "../../framework/lifecycle";
import { accessFromWire, accessToWire } from "./access";
import { crossClusterAccessReadBack } from "./canonical-access";
import { crossClusterApiKeyInputs, type CrossClusterApiKeyInputs, type CrossClusterApiKeyOutputs } from "./schema";

export const crossClusterApiKeyLifecycle = defineLifecycle<
  CrossClusterApiKeyInputs,
  CrossClusterApiKeyOutputs,
  "CrossClusterApiKey"
>({
  type: "CrossClusterApiKey",
  description:
    "A cross-cluster API key for a remote cluster's API-key-based connection (`/_security/cross_cluster/api_key`). `access` and `metadata` update in place (same key id, same secret); `name`, `expiration` and `rotationTrigger` replace it, new key first; so does a due rotation (`rotateAfter`, `rotateBeforeExpiry`), and with `retireAfter` the old key retires instead of being invalidated. **Needs** `manage_security` (create, update and invalidate alike; no Kibana privilege), with a username and password (Elasticsearch refuses API-key callers here). **Refresh** reads `access` and `metadata` back in canonical form; invalidated, expired or missing ⇒ removed from state.",
  outputs: crossClusterApiKeyOutputs,
  readBack: { access: crossClusterAccessReadBack }, // R3
  schema: crossClusterApiKeyInputs,
  replaceOn: ["name", "expiration", "rotationTrigger"], // R5; access and metadata update in place (R4)
  marked: true, // R9
  insteadOfImport:
    "An existing key's secret cannot be read back, so it cannot become a resource with its secret outputs: let this resource create a new key, move the remote cluster over, then invalidate the old one.",
  example: ({ name }) => ({ name, access: { search: [{ names: ["logs-*"] }] } }),
  // Once per process the caller's identity (the key's owner).
  createRequests: { each: ["POST /_security/cross_cluster/api_key"], oncePerProcess: ["GET /_security/_authenticate"] },
  target: (conn) => conn.elasticsearch(),

  async create({ conn }, inputs, mark) {
    const es = conn.elasticsearch();
    const body = {
      name: inputs.name,
      access: accessToWire(inputs.access),
      ...(inputs.expiration !== undefined ? { expiration: inputs.expiration } : {}),
      metadata: withMark(inputs.metadata, mark),
    };
    const { key, owner } = await createMarkedKey(conn, inputs.name, mark!, () => createCrossClusterApiKey(es, body));
    const times = await keyTimes(conn, key.id, owner, inputs, { expiration: key.expiration }); // R13
    return { id: key.id, outs: { keyId: key.id, owner, ...times, apiKey: key.api_key, encoded: key.encoded } };
  },

  async read(ctx, id, olds) {
    const state = await readKeyState(ctx.conn, id, olds.owner);
    if (!state.live) return undefined; // R6: invalidated, expired (by the server's clock) or deleted ⇒ gone
    const key = state.key;
    if (olds.retireAfter !== undefined) await reportRetiring(ctx, olds); // R14
    return {
      keyId: id,
      owner: olds.owner,
      name: key.name,
      // R7: read back in the inputs' canonical form, so only a real change shows as a diff.
      access: key.access ? accessFromWire(key.access) : olds.access,
      metadata: withoutMark(key.metadata),
      ...(await keyTimes(ctx.conn, id, olds.owner, olds, key)),
      // The secrets cannot be read back: carried from state.
      apiKey: olds.apiKey,
      encoded: olds.encoded,
    };
  },

  async update({ conn }, id, olds, news) {
    // R4: access and metadata are replaced whole (docs/elastic-api.md C.4); the key id, its secret and its mark stay
    // the same. A change of the schedule alone sends nothing (R13).
    const scheduleOnly = sameValue(olds.access, news.access) && sameValue(olds.metadata, news.metadata);
    if (!scheduleOnly)
      await updateCrossClusterApiKey(conn.elasticsearch(), id, {
        access: accessToWire(news.access),
        metadata: withMark(news.metadata, olds[MARK_INPUT]),
      });
    const times = await keyTimes(conn, id, olds.owner, news, { createdAt: olds.createdAt, expiresAt: olds.expiresAt });
    return { keyId: id, owner: olds.owner, ...times, apiKey: olds.apiKey, encoded: olds.encoded };
  },

  schedule: ({ conn }, id, _olds, news) => apiKeyVerdict(conn, id, news, warningHorizonMs(conn)), // R13

  replacementNotice: (ctx, id, olds) => noOverlapNotice(ctx, id, olds), // R14: said at preview
  retirePredecessor: (ctx, id, olds, successor) => retirePredecessor(ctx, id, olds, successor, true), // R14

  async delete(ctx, id, olds) {
    await endOldKey(ctx, id, olds); // R8, R14
  },

  unresolvedLeftovers: ({ conn }, outs) =>
    markedKeyLeftovers(conn, String(outs.name), String(outs[MARK_INPUT]), outs.owner as KeyOwner | undefined),
});
