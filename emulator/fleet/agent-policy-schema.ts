// The body Fleet validates for creating and updating agent policies (Kibana's AgentPolicyBaseSchema and
// NewAgentPolicySchema, followed as of Kibana main at every emulated version), built with config-schema.ts.
import { Json, isObject } from "../json";
import { Schema, s } from "../kibana/config-schema";

const TWO_WEEKS_SECONDS = 1209600;

function namespaceProblem(value: Json): string | undefined {
  const ns = String(value);
  if (ns.trim() === "") return "Namespace is required";
  if (ns !== ns.toLowerCase()) return "Namespace must be lowercase";
  if (/[*\\/?"<>| ,#:-]/.test(ns)) return "Namespace contains invalid characters";
  if (Buffer.byteLength(ns) > 100) return "Namespace cannot be more than 100 bytes";
  return undefined;
}

function globalDataTagsProblem(value: Json): string | undefined {
  const tags = (Array.isArray(value) ? value : []).filter(isObject);
  const seen = new Set<string>();
  const duplicates: string[] = [];
  const withSpaces: string[] = [];
  for (const tag of tags) {
    const name = String(tag.name);
    if (/\s/.test(name)) withSpaces.push(`'${name}'`);
    if (seen.has(name.trim())) duplicates.push(`'${name.trim()}'`);
    seen.add(name.trim());
  }
  const errors: string[] = [];
  if (duplicates.length > 0) {
    errors.push(`Found duplicate tag names: [${duplicates.join(", ")}], duplicate tag names are not allowed.`);
  }
  if (withSpaces.length > 0) {
    errors.push(`Found tag names with spaces: [${withSpaces.join(", ")}], tag names with spaces are not allowed.`);
  }
  return errors.length > 0 ? errors.join(" ") : undefined;
}

const optionalString = s.maybe(s.string());
const optionalBoolean = s.maybe(s.boolean());
const nullableString = s.nullable(s.string());

const POLICY_FIELDS: Record<string, Schema> = {
  id: optionalString,
  space_ids: s.maybe(s.arrayOf(s.string())),
  name: s.string({ minLength: 1, validate: (v) => (String(v).trim() === "" ? "Invalid empty string" : undefined) }),
  namespace: s.string({ minLength: 1, validate: namespaceProblem }),
  description: optionalString,
  is_managed: optionalBoolean,
  has_fleet_server: optionalBoolean,
  is_default: optionalBoolean,
  is_default_fleet_server: optionalBoolean,
  unenroll_timeout: s.maybe(s.number({ min: 0, integer: true })),
  inactivity_timeout: s.number({ min: 0, integer: true, defaultValue: TWO_WEEKS_SECONDS }),
  monitoring_enabled: s.maybe(s.arrayOf(s.oneOf([s.literal("logs"), s.literal("metrics"), s.literal("traces")]))),
  keep_monitoring_alive: s.nullable(s.boolean()),
  data_output_id: nullableString,
  monitoring_output_id: nullableString,
  download_source_id: nullableString,
  fleet_server_host_id: nullableString,
  agent_features: s.maybe(s.arrayOf(s.object({ name: s.string(), enabled: s.boolean() }))),
  is_protected: optionalBoolean,
  overrides: s.nullable(
    s.recordOf(s.any(), (v) =>
      Object.keys(isObject(v) ? v : {}).some((k) => /^inputs(\.)?/.test(k))
        ? "inputs overrides is not allowed"
        : undefined,
    ),
  ),
  // The advanced settings are accepted as an object without checking each setting.
  advanced_settings: s.nullable(s.recordOf(s.any())),
  supports_agentless: s.nullable(s.boolean()),
  global_data_tags: s.maybe(
    s.arrayOf(s.object({ name: s.string(), value: s.oneOf([s.string(), s.number()]) }), globalDataTagsProblem),
  ),
  agentless: s.maybe(
    s.object({
      resources: s.maybe(
        s.object({
          requests: s.maybe(
            s.object({
              memory: s.maybe(
                s.string({ validate: (v) => (/^\d+(Mi|Gi)$/.test(String(v)) ? undefined : "Invalid memory format") }),
              ),
              cpu: s.maybe(
                s.string({
                  validate: (v) => (/^(\d+m|\d+(\.\d+)?)$/.test(String(v)) ? undefined : "Invalid CPU format"),
                }),
              ),
            }),
          ),
        }),
      ),
    }),
  ),
  monitoring_pprof_enabled: optionalBoolean,
  monitoring_http: s.maybe(
    s.object({
      enabled: optionalBoolean,
      host: optionalString,
      port: s.maybe(s.number({ min: 0, max: 65353 })),
      buffer: s.maybe(s.object({ enabled: s.boolean() })),
    }),
  ),
  monitoring_diagnostics: s.maybe(
    s.object({
      limit: s.maybe(s.object({ interval: optionalString, burst: s.maybe(s.number()) })),
      uploader: s.maybe(
        s.object({ max_retries: s.maybe(s.number()), init_dur: optionalString, max_dur: optionalString }),
      ),
    }),
  ),
  required_versions: s.nullable(
    s.arrayOf(s.object({ version: s.string(), percentage: s.number({ min: 0, max: 100 }) })),
  ),
  force: optionalBoolean,
};

export const NEW_AGENT_POLICY = s.object(POLICY_FIELDS);
export const UPDATE_AGENT_POLICY = s.object({ ...POLICY_FIELDS, bumpRevision: optionalBoolean });
export const DELETE_AGENT_POLICY = s.object({ agentPolicyId: s.string(), force: optionalBoolean });

/** Request-only keys: they steer the operation and are never stored on the policy. */
export const REQUEST_ONLY_FIELDS = ["id", "force", "bumpRevision", "space_ids", "has_fleet_server"];
