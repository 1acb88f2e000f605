// Fleet enrollment API keys (docs/elastic-api.md B.2–B.5): create, list with paging and kuery, read one, revoke.
import { boom } from "../errors";
import { EmuResponse, json } from "../http-types";
import { JsonObject } from "../json";
import { EnrollmentKey } from "../model";
import { invalidateApiKeys } from "../es/invalidate-api-keys";
import { KibanaContext } from "../kibana/context";
import { validateBody, validateQuery } from "../kibana/config-schema";
import { createEnrollmentKey, findVisiblePolicy, keyVisible, kibanaSystem, searchWindow } from "./fleet-service";
import { KueryMapping, evaluateKuery, validateKuery } from "./kuery";
import { versionAtLeast } from "../versions";

const MAPPED_FIELDS = ["active", "api_key", "api_key_id", "created_at", "expire_at", "name", "policy_id", "updated_at"];

/**
 * Fleet's ENROLLMENT_API_KEY_MAPPINGS: what a kuery may name. `namespaces` is never there; `hidden` joined the
 * mapping with hidden enrollment tokens in 9.1 (Kibana's crud.ts then filters with `not hidden:true`).
 */
function kueryMapping(ctx: KibanaContext): KueryMapping {
  const hidden = versionAtLeast(ctx.state.options.kibanaVersion, 9, 1) ? ["hidden"] : [];
  return { type: "fleet-enrollment-api-keys", fields: [...MAPPED_FIELDS, ...hidden] };
}

function renderKey(key: EnrollmentKey, withHidden: boolean): JsonObject {
  const out: JsonObject = {
    id: key.id,
    api_key_id: key.api_key_id,
    api_key: key.api_key,
    name: key.name,
    active: key.active,
    policy_id: key.policy_id,
    created_at: key.created_at,
  };
  if (withHidden) out.hidden = key.hidden;
  return out;
}

export function postEnrollmentKey(ctx: KibanaContext): EmuResponse {
  validateQuery(ctx.req.query, {});
  const body = validateBody(ctx.body, {
    policy_id: { type: "string", required: true },
    name: { type: "string" },
    // B.2 [ver]: accepted and ignored before main.
    expiration: { type: "string" },
  });
  ctx.authorizeAfterValidation();
  const policy = findVisiblePolicy(ctx.state, body.policy_id as string, ctx.space);
  const key = createEnrollmentKey(ctx.state, policy, body.name as string | undefined);
  ctx.req.objects.push(key.id);
  return json(200, { item: renderKey(key, false), action: "created" });
}

export function listEnrollmentKeys(ctx: KibanaContext): EmuResponse {
  const query = validateQuery(ctx.req.query, {
    page: { type: "number" },
    perPage: { type: "number" },
    kuery: { type: "string" },
  });
  ctx.authorizeAfterValidation();
  const page = (query.page as number | undefined) ?? 1;
  const perPage = (query.perPage as number | undefined) ?? 20;
  const kuery = validateKuery(query.kuery as string | undefined, kueryMapping(ctx));
  const { from, size } = searchWindow(page, perPage);
  const matching = [...ctx.state.enrollmentKeys.values()]
    .filter((k) => keyVisible(k, ctx.space))
    .filter((k) =>
      evaluateKuery(kuery, (field) => {
        const value = (k as unknown as Record<string, string | boolean | undefined>)[field];
        return value === undefined ? [] : [value];
      }),
    )
    .map((k, i) => ({ k, i }))
    // B.3: newest first; insertion order breaks ties within one millisecond.
    .sort((a, b) => (a.k.created_at === b.k.created_at ? b.i - a.i : a.k.created_at < b.k.created_at ? 1 : -1))
    .map(({ k }) => k);
  const items = matching.slice(from, from + size).map((k) => renderKey(k, true));
  return json(200, { items, total: matching.length, page, perPage, list: structuredClone(items) });
}

function findVisibleKey(ctx: KibanaContext): EnrollmentKey {
  const id = ctx.params.keyId as string;
  const key = ctx.state.enrollmentKeys.get(id);
  if (!key) throw boom.notFound(`Enrollment api key ${id} not found`);
  if (!keyVisible(key, ctx.space)) throw boom.notFound(`Enrollment api key ${id} not found in namespace`);
  return key;
}

export function getEnrollmentKey(ctx: KibanaContext): EmuResponse {
  validateQuery(ctx.req.query, {});
  ctx.authorizeAfterValidation();
  return json(200, { item: renderKey(findVisibleKey(ctx), true) });
}

export function deleteEnrollmentKey(ctx: KibanaContext): EmuResponse {
  validateQuery(ctx.req.query, {});
  ctx.authorizeAfterValidation();
  const key = findVisibleKey(ctx);
  // B.5: revoke = invalidate the ES key as kibana_system, keep the document with active:false.
  invalidateApiKeys(ctx.state, kibanaSystem(ctx.state), { ids: [key.api_key_id] });
  key.active = false;
  ctx.req.objects.push(key.id);
  return json(200, { action: "deleted" });
}
