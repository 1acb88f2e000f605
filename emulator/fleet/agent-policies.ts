// Fleet agent policies: create, read, list, update and delete (docs/elastic-api.md B; Kibana's agent policy routes).
// Creating one also creates its `Default` enrollment key, and deleting one removes its enrollment keys, as Fleet does.
import { BoomError, boom } from "../errors";
import { EmuResponse, json } from "../http-types";
import { Json, JsonObject, canonicalJson, isObject } from "../json";
import { AgentPolicy } from "../model";
import { newUuid } from "../ids";
import { principalUsername } from "../principal";
import { KibanaContext } from "../kibana/context";
import { validateBodySchema, validateQuery } from "../kibana/config-schema";
import { DELETE_AGENT_POLICY, NEW_AGENT_POLICY, REQUEST_ONLY_FIELDS, UPDATE_AGENT_POLICY } from "./agent-policy-schema";
import {
  createEnrollmentKey,
  deletePolicyEnrollmentKeys,
  fleetStatus,
  policyVisible,
  searchWindow,
} from "./fleet-service";
import { KueryMapping, KueryValue, evaluateKuery, validateKuery } from "./kuery";

/** Fleet's AGENT_POLICY_MAPPINGS, which a list kuery is validated against (with the legacy type as prefix). */
const KUERY_MAPPING: KueryMapping = {
  type: "ingest-agent-policies",
  fields: [
    "agent_features.name",
    "agent_features.enabled",
    "data_output_id",
    "description",
    "download_source_id",
    "fleet_server_host_id",
    "inactivity_timeout",
    "is_default",
    "is_default_fleet_server",
    "is_managed",
    "is_preconfigured",
    "is_protected",
    "monitoring_enabled",
    "monitoring_output_id",
    "name",
    "namespace",
    "revision",
    "schema_version",
    "status",
    "unenroll_timeout",
    "updated_at",
    "updated_by",
  ],
  flattened: ["overrides"],
};

/** The values at a dotted path of a rendered policy, through arrays of objects. */
function fieldValues(value: Json | undefined, path: string): KueryValue[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.flatMap((v) => fieldValues(v, path));
  if (path === "") return isObject(value) ? [] : [value];
  if (!isObject(value)) return [];
  const [head, ...rest] = path.split(".");
  return fieldValues(value[head as string], rest.join("."));
}

function renderPolicy(p: AgentPolicy): JsonObject {
  const out: JsonObject = { id: p.id, name: p.name, namespace: p.namespace };
  if (p.description !== undefined) out.description = p.description;
  Object.assign(out, {
    monitoring_enabled: [...p.monitoring_enabled],
    inactivity_timeout: p.inactivity_timeout,
    is_protected: p.is_protected,
    is_managed: p.is_managed,
    supports_agentless: p.supports_agentless,
    ...structuredClone(p.settings),
    space_ids: [...p.space_ids],
    status: "active",
    revision: p.revision,
    created_at: p.created_at,
    updated_at: p.updated_at,
    updated_by: p.updated_by,
  });
  return out;
}

/** Writes the validated fields of a create or update body onto the policy; request-only keys are left out. */
function applyFields(policy: AgentPolicy, body: JsonObject): void {
  for (const [key, value] of Object.entries(body)) {
    if (REQUEST_ONLY_FIELDS.includes(key)) continue;
    switch (key) {
      case "name":
      case "namespace":
      case "description":
        policy[key] = value as string;
        break;
      case "is_managed":
      case "supports_agentless":
      case "is_protected":
        policy[key] = value === true;
        break;
      case "monitoring_enabled":
        policy.monitoring_enabled = value as string[];
        break;
      case "inactivity_timeout":
        policy.inactivity_timeout = value as number;
        break;
      default:
        policy.settings[key] = structuredClone(value);
    }
  }
}

function findPolicy(ctx: KibanaContext, id: string): AgentPolicy {
  const policy = ctx.state.agentPolicies.get(id);
  if (!policy || !policyVisible(policy, ctx.space)) {
    throw new BoomError(fleetStatus(ctx.state, 404), "Agent policy not found");
  }
  return policy;
}

/** Names are unique among the policies of the space (requireUniqueName); a policy may keep its own. */
function requireUniqueName(ctx: KibanaContext, name: string, ownId?: string): void {
  const others = [...ctx.state.agentPolicies.values()].filter(
    (p) => p.name === name && p.id !== ownId && policyVisible(p, ctx.space),
  );
  if (others.length === 1) throw boom.conflict(`Agent Policy '${others[0]?.id}' already exists with name '${name}'`);
  if (others.length > 1) {
    throw boom.conflict(`Agent Policies '${others.map((p) => p.id).join(",")}' already exist with name '${name}'`);
  }
}

export function postAgentPolicy(ctx: KibanaContext): EmuResponse {
  validateQuery(ctx.req.query, { sys_monitoring: { type: "boolean" } });
  const body = validateBodySchema(ctx.body, NEW_AGENT_POLICY);
  ctx.authorizeAfterValidation();
  // An empty id is no id: Kibana generates one (AgentPolicyService.create).
  const id = typeof body.id === "string" && body.id !== "" ? body.id : newUuid();
  if (ctx.state.agentPolicies.has(id)) throw boom.conflict(`Saved object [ingest-agent-policies/${id}] conflict`);
  requireUniqueName(ctx, body.name as string);
  const now = new Date(ctx.state.now()).toISOString();
  const policy: AgentPolicy = {
    id,
    name: "",
    namespace: "",
    is_managed: false,
    supports_agentless: false,
    monitoring_enabled: ["logs", "metrics"],
    inactivity_timeout: 0,
    is_protected: false,
    settings: {},
    space_ids: [ctx.space],
    revision: 1,
    created_at: now,
    updated_at: now,
    updated_by: principalUsername(ctx.principal),
  };
  applyFields(policy, body);
  ctx.state.agentPolicies.set(id, policy);
  createEnrollmentKey(ctx.state, policy, "Default");
  return json(200, { item: renderPolicy(policy) });
}

export function getAgentPolicy(ctx: KibanaContext): EmuResponse {
  validateQuery(ctx.req.query, { format: { type: "string" } });
  ctx.authorizeAfterValidation();
  const policy = ctx.state.agentPolicies.get(ctx.params.agentPolicyId as string);
  if (!policy || !policyVisible(policy, ctx.space)) throw boom.notFound("Agent policy not found");
  return json(200, { item: renderPolicy(policy) });
}

export function listAgentPolicies(ctx: KibanaContext): EmuResponse {
  const query = validateQuery(ctx.req.query, {
    page: { type: "number" },
    perPage: { type: "number" },
    kuery: { type: "string" },
    sortField: { type: "string" },
    sortOrder: { type: "string" },
    showUpgradeable: { type: "boolean" },
    full: { type: "boolean" },
    noAgentCount: { type: "boolean" },
    withAgentCount: { type: "boolean" },
    format: { type: "string" },
  });
  ctx.authorizeAfterValidation();
  const page = (query.page as number | undefined) ?? 1;
  const perPage = (query.perPage as number | undefined) ?? 20;
  const kuery = validateKuery(query.kuery as string | undefined, KUERY_MAPPING);
  const { from, size } = searchWindow(page, perPage);
  const all = [...ctx.state.agentPolicies.values()]
    .filter((p) => policyVisible(p, ctx.space))
    .map(renderPolicy)
    .filter((p) => evaluateKuery(kuery, (field) => fieldValues(p, field)));
  return json(200, { items: all.slice(from, from + size), total: all.length, page, perPage });
}

/** Hosted (managed) policies change only with force, except their namespace (AgentPolicyService.update). */
function requireEditable(policy: AgentPolicy, body: JsonObject): void {
  if (!policy.is_managed || body.force === true) return;
  const current = renderPolicy(policy);
  for (const [key, value] of Object.entries(body)) {
    if (REQUEST_ONLY_FIELDS.includes(key) || key === "namespace") continue;
    if (canonicalJson(current[key] as Json | undefined) !== canonicalJson(value)) {
      throw boom.badRequest(`Cannot update ${key}`);
    }
  }
}

export function putAgentPolicy(ctx: KibanaContext): EmuResponse {
  validateQuery(ctx.req.query, { format: { type: "string" } });
  const body = validateBodySchema(ctx.body, UPDATE_AGENT_POLICY);
  ctx.authorizeAfterValidation();
  const policy = findPolicy(ctx, ctx.params.agentPolicyId as string);
  requireUniqueName(ctx, body.name as string, policy.id);
  requireEditable(policy, body);
  applyFields(policy, body);
  if (body.bumpRevision !== false) policy.revision++;
  policy.updated_at = new Date(ctx.state.now()).toISOString();
  policy.updated_by = principalUsername(ctx.principal);
  return json(200, { item: renderPolicy(policy) });
}

export function deleteAgentPolicy(ctx: KibanaContext): EmuResponse {
  validateQuery(ctx.req.query, {});
  const body = validateBodySchema(ctx.body, DELETE_AGENT_POLICY);
  ctx.authorizeAfterValidation();
  const policy = findPolicy(ctx, body.agentPolicyId as string);
  if (policy.is_managed && body.force !== true) {
    throw boom.badRequest(`Cannot delete hosted agent policy ${policy.id}`);
  }
  ctx.state.agentPolicies.delete(policy.id);
  deletePolicyEnrollmentKeys(ctx.state, policy.id);
  return json(200, { id: policy.id, name: policy.name });
}
