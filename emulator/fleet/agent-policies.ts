// Fleet agent policies: enough to create and read them for tests. Creating one also creates its `Default`
// enrollment key, as Fleet does.
import { boom } from "../errors";
import { EmuResponse, json } from "../http-types";
import { Json, JsonObject } from "../json";
import { AgentPolicy } from "../model";
import { newUuid } from "../ids";
import { principalUsername } from "../principal";
import { KibanaContext } from "../kibana/context";
import { FieldSpec, validateBody, validateQuery } from "../kibana/config-schema";
import { createEnrollmentKey, policyVisible } from "./fleet-service";

function namespaceProblem(value: Json): string | undefined {
  const ns = String(value);
  if (ns.trim() === "") return "Namespace is required";
  if (ns !== ns.toLowerCase()) return "Namespace must be lowercase";
  if (/[*\\/?"<>| ,#:-]/.test(ns)) return "Namespace contains invalid characters";
  if (Buffer.byteLength(ns) > 100) return "Namespace cannot be more than 100 bytes";
  return undefined;
}

const POLICY_FIELDS: Record<string, FieldSpec> = {
  id: { type: "string" },
  name: {
    type: "string",
    required: true,
    validate: (v) => (String(v).trim() === "" ? "Invalid agent policy name" : undefined),
  },
  namespace: { type: "string", required: true, validate: namespaceProblem },
  description: { type: "string" },
  monitoring_enabled: { type: "string[]" },
  is_managed: { type: "boolean" },
  is_default: { type: "boolean" },
  is_default_fleet_server: { type: "boolean" },
  has_fleet_server: { type: "boolean" },
  is_protected: { type: "boolean" },
  supports_agentless: { type: "boolean" },
  inactivity_timeout: { type: "number" },
  unenroll_timeout: { type: "number" },
  data_output_id: { type: "string" },
  monitoring_output_id: { type: "string" },
  fleet_server_host_id: { type: "string" },
  download_source_id: { type: "string" },
  space_ids: { type: "string[]" },
};

function renderPolicy(p: AgentPolicy): JsonObject {
  const out: JsonObject = { id: p.id, name: p.name, namespace: p.namespace };
  if (p.description !== undefined) out.description = p.description;
  Object.assign(out, {
    monitoring_enabled: [...p.monitoring_enabled],
    inactivity_timeout: 1209600,
    is_protected: false,
    is_managed: p.is_managed,
    supports_agentless: p.supports_agentless,
    space_ids: [...p.space_ids],
    status: "active",
    revision: p.revision,
    created_at: p.created_at,
    updated_at: p.updated_at,
    updated_by: p.updated_by,
  });
  return out;
}

export function postAgentPolicy(ctx: KibanaContext): EmuResponse {
  validateQuery(ctx.req.query, { sys_monitoring: { type: "boolean" } });
  const body = validateBody(ctx.body, POLICY_FIELDS);
  const id = (body.id as string | undefined) ?? newUuid();
  const name = body.name as string;
  if (ctx.state.agentPolicies.has(id)) throw boom.conflict(`Saved object [ingest-agent-policies/${id}] conflict`);
  const sameName = [...ctx.state.agentPolicies.values()].find((p) => p.name === name && policyVisible(p, ctx.space));
  if (sameName) throw boom.conflict(`Agent Policy '${sameName.id}' already exists with name '${name}'`);
  const now = new Date(ctx.state.now()).toISOString();
  const policy: AgentPolicy = {
    id,
    name,
    namespace: body.namespace as string,
    is_managed: body.is_managed === true,
    supports_agentless: body.supports_agentless === true,
    monitoring_enabled: (body.monitoring_enabled as string[] | undefined) ?? ["logs", "metrics"],
    space_ids: [ctx.space],
    revision: 1,
    created_at: now,
    updated_at: now,
    updated_by: principalUsername(ctx.principal),
  };
  if (typeof body.description === "string") policy.description = body.description;
  ctx.state.agentPolicies.set(id, policy);
  createEnrollmentKey(ctx.state, policy, "Default");
  return json(200, { item: renderPolicy(policy) });
}

export function getAgentPolicy(ctx: KibanaContext): EmuResponse {
  validateQuery(ctx.req.query, { format: { type: "string" } });
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
  const page = (query.page as number | undefined) ?? 1;
  const perPage = (query.perPage as number | undefined) ?? 20;
  const all = [...ctx.state.agentPolicies.values()].filter((p) => policyVisible(p, ctx.space));
  const from = Math.max(0, (page - 1) * perPage);
  return json(200, { items: all.slice(from, from + perPage).map(renderPolicy), total: all.length, page, perPage });
}
