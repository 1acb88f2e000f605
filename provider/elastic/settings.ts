// The connection settings table: for each setting its stack config key (namespace `elastic`), the environment
// variables of the Terraform elasticstack provider it falls back to, whether it is a credential, and its doc. The
// README table, the plugin's config schema and the lookups below all derive from it. Also the one precedence both
// front ends apply at every operation (settingsFor), and the advice that depends on where the settings came from.
import { sameCluster, identityUrl } from "./cluster";
import { URN_PLACEHOLDER, ElasticKeysError } from "./errors";

/** One setting: its stack config key (without the `elastic:` namespace), its env vars in order, and its doc. */
export interface SettingSpec {
  config: string;
  env: readonly string[];
  doc: string;
  /** A credential: set it with `pulumi config set --secret`; never printed. */
  secret?: boolean;
  kind?: "boolean" | "integer";
}

export const SETTINGS = {
  esEndpoints: {
    config: "elasticsearchEndpoints",
    env: ["ELASTICSEARCH_ENDPOINTS"],
    doc: "Elasticsearch URLs, comma-separated; the next one is tried when a node cannot be reached.",
  },
  esUsername: { config: "elasticsearchUsername", env: ["ELASTICSEARCH_USERNAME"], doc: "Elasticsearch username." },
  esPassword: {
    config: "elasticsearchPassword",
    env: ["ELASTICSEARCH_PASSWORD"],
    doc: "Elasticsearch password.",
    secret: true,
  },
  esApiKey: {
    config: "elasticsearchApiKey",
    env: ["ELASTICSEARCH_API_KEY"],
    doc: "Elasticsearch API key (encoded form); used instead of username and password.",
    secret: true,
  },
  esInsecure: {
    config: "elasticsearchInsecure",
    env: ["ELASTICSEARCH_INSECURE"],
    doc: "Skip TLS verification for Elasticsearch (testing only).",
    kind: "boolean",
  },
  esCaCert: {
    config: "elasticsearchCaCert",
    env: ["ELASTICSEARCH_CA_DATA", "ELASTICSEARCH_CA_FILE", "ELASTICSEARCH_CA_CERTS"],
    doc: "CA certificate for Elasticsearch: PEM data or the path of a PEM file.",
  },
  kibanaEndpoint: { config: "kibanaEndpoint", env: ["KIBANA_ENDPOINT"], doc: "Kibana URL." },
  kibanaUsername: {
    config: "kibanaUsername",
    env: ["KIBANA_USERNAME"],
    doc: "Kibana username (default: the Elasticsearch credentials).",
  },
  kibanaPassword: { config: "kibanaPassword", env: ["KIBANA_PASSWORD"], doc: "Kibana password.", secret: true },
  kibanaApiKey: {
    config: "kibanaApiKey",
    env: ["KIBANA_API_KEY"],
    doc: "Kibana API key (encoded form).",
    secret: true,
  },
  kibanaInsecure: {
    config: "kibanaInsecure",
    env: ["KIBANA_INSECURE"],
    doc: "Skip TLS verification for Kibana and Fleet (testing only).",
    kind: "boolean",
  },
  kibanaCaCert: {
    config: "kibanaCaCert",
    env: ["KIBANA_CA_CERTS"],
    doc: "CA certificate for Kibana: PEM data or the path of a PEM file.",
  },
  fleetEndpoint: { config: "fleetEndpoint", env: ["FLEET_ENDPOINT"], doc: "Fleet (Kibana) URL (default: Kibana's)." },
  fleetUsername: { config: "fleetUsername", env: ["FLEET_USERNAME"], doc: "Fleet username (default: Kibana's)." },
  fleetPassword: { config: "fleetPassword", env: ["FLEET_PASSWORD"], doc: "Fleet password.", secret: true },
  fleetApiKey: { config: "fleetApiKey", env: ["FLEET_API_KEY"], doc: "Fleet API key (encoded form).", secret: true },
  fleetCaCert: {
    config: "fleetCaCert",
    env: ["FLEET_CA_CERTS"],
    doc: "CA certificate for Fleet: PEM data or the path of a PEM file (default: Kibana's).",
  },
  keyWarningHorizon: {
    config: "keyWarningHorizon",
    env: ["ELASTIC_KEYS_WARNING_HORIZON"],
    doc: 'How far ahead `preview` and `up` warn about a key that expires or is due for rotation: an Elasticsearch duration (default `"7d"`).',
  },
  // The HTTP policy (http-policy.ts): how long to wait and how long to keep retrying.
  httpTimeoutMs: {
    config: "httpTimeoutMs",
    env: ["ELASTIC_KEYS_HTTP_TIMEOUT_MS"],
    doc: "Milliseconds to wait for the answer to a request that is safe to repeat (default 30000).",
    kind: "integer",
  },
  httpCreateTimeoutMs: {
    config: "httpCreateTimeoutMs",
    env: ["ELASTIC_KEYS_HTTP_CREATE_TIMEOUT_MS"],
    doc: "Milliseconds to wait for the answer to a create (default: the larger of `httpTimeoutMs` and `httpBudgetMs`); a create whose answer does not come in time is settled by its mark (README, Troubleshooting).",
    kind: "integer",
  },
  httpBudgetMs: {
    config: "httpBudgetMs",
    env: ["ELASTIC_KEYS_HTTP_BUDGET_MS"],
    doc: "Milliseconds one request may spend in all on retries and on nodes that cannot be reached (default 120000).",
    kind: "integer",
  },
  httpBaseDelayMs: {
    config: "httpBaseDelayMs",
    env: ["ELASTIC_KEYS_HTTP_BASE_DELAY_MS"],
    doc: "Milliseconds before the first retry, doubled at each retry up to 5 s, with jitter (default 200).",
    kind: "integer",
  },
} as const satisfies Record<string, SettingSpec>;

export type SettingName = keyof typeof SETTINGS;
export const CONFIG_NAMESPACE = "elastic";

/** The settings whose values are credentials: set them with `pulumi config set --secret`. */
export const SECRET_SETTINGS: readonly SettingName[] = (Object.keys(SETTINGS) as SettingName[]).filter(
  (name) => (SETTINGS[name] as SettingSpec).secret === true,
);

/** The settings that identify the cluster (cluster.ts): recorded with a provider, never replaced by later config. */
export const IDENTITY_SETTINGS: readonly SettingName[] = ["esEndpoints", "kibanaEndpoint", "fleetEndpoint"];

/** Which front end gave the settings, so an error can say what to change there (README, Configuration). */
export interface SettingsOrigin {
  frontEnd: "dynamic" | "plugin";
  /** Plugin only: the provider follows the current stack config (it was configured from it at the last `up`). */
  stackConfigured?: boolean;
}

/**
 * Where setting values come from: stack config values by their key without the namespace (from the front end:
 * the dynamic provider's `configure`, or the plugin's Configure), then the process environment.
 */
export interface SettingsSource {
  config: Readonly<Record<string, string | undefined>>;
  env: Readonly<Record<string, string | undefined>>;
  origin?: SettingsOrigin;
}

type Values = Readonly<Record<string, string | undefined>>;
type Env = Readonly<Record<string, string | undefined>>;

/**
 * The one precedence (README, Configuration). Every setting: the values given, then its env vars. `given` is, for the
 * dynamic resources, the stack config the engine configured them with; for a plugin provider, its inputs as recorded
 * at the last `up` (the endpoints resolved then). A plugin provider configured from the stack config also gets the
 * `current` stack config, which wins for every setting but the endpoints (the cluster its resources live on) — unless
 * it now names another cluster: that cluster's credentials are not this provider's.
 */
export function settingsFor(origin: SettingsOrigin, given: Values, env: Env, current?: Values): SettingsSource {
  if (!current || clusterChanges({ config: given, env }, { config: current, env }).length > 0)
    return { config: given, env, origin };
  const config: Record<string, string | undefined> = {};
  for (const name of Object.keys(SETTINGS) as SettingName[]) {
    const key = SETTINGS[name].config;
    config[key] = IDENTITY_SETTINGS.includes(name) ? given[key] : current[key];
  }
  return { config, env, origin };
}

/** The endpoints a source names, per place a resource can live: Elasticsearch, and Fleet (Kibana's, by default). */
export function clusterEndpoints(source: SettingsSource): { elasticsearch?: string; fleet?: string } {
  return {
    elasticsearch: lookupSetting(source, "esEndpoints"),
    fleet: lookupSetting(source, "fleetEndpoint") ?? lookupSetting(source, "kibanaEndpoint"),
  };
}

/**
 * The identity settings whose cluster differs between two sources (README, Configuration: what identifies a
 * cluster). A place that one of them does not name is no change: nothing can have lived there.
 */
export function clusterChanges(before: SettingsSource, after: SettingsSource): SettingName[] {
  const a = clusterEndpoints(before);
  const b = clusterEndpoints(after);
  const changed: SettingName[] = [];
  if (a.elasticsearch && b.elasticsearch && !sameCluster(a.elasticsearch, b.elasticsearch)) changed.push("esEndpoints");
  if (a.fleet && b.fleet && identityUrl(a.fleet) !== identityUrl(b.fleet))
    changed.push(
      lookupSetting(after, "fleetEndpoint") || lookupSetting(before, "fleetEndpoint")
        ? "fleetEndpoint"
        : "kibanaEndpoint",
    );
  return changed;
}

/** A boolean setting: `true`/`1`, `false`/`0` (any case) or unset; anything else is refused, naming the setting. */
export function booleanSetting(source: SettingsSource, name: SettingName): boolean {
  const raw = lookupSetting(source, name)?.trim();
  if (raw === undefined || /^(false|0)$/i.test(raw)) return false;
  if (/^(true|1)$/i.test(raw)) return true;
  throw new ElasticKeysError("invalid_input", `${settingOrigin(source, name)} is neither true nor false`, {
    fix: `set it to true or 1 (or false, 0, or leave it unset)`,
  });
}

/** An integer setting (milliseconds): a whole number ≥ 0, or unset (`undefined`); anything else is refused, naming it. */
export function integerSetting(source: SettingsSource, name: SettingName): number | undefined {
  const raw = lookupSetting(source, name)?.trim();
  if (raw === undefined) return undefined;
  if (/^\d+$/.test(raw)) return Number(raw);
  throw new ElasticKeysError("invalid_input", `${settingOrigin(source, name)} is not a whole number of milliseconds`, {
    fix: `set it to a whole number ≥ 0, e.g. 30000 (or leave it unset for the default)`,
  });
}

/** What to add to a refused credential's error: where this front end's credentials come from. */
export function credentialAdvice(origin: SettingsOrigin | undefined): string {
  if (origin?.frontEnd === "dynamic")
    return "If you changed elastic:* stack config since the last `pulumi up`, see README, Configuration: refresh and destroy use the settings recorded at the last up unless run with --run-program";
  if (origin?.stackConfigured)
    return "This provider takes its credentials from the current elastic:* stack config, then the env vars (README, Configuration): correct them there and run the command again";
  if (origin?.frontEnd === "plugin")
    return "This provider takes its credentials from its own inputs as recorded at the last `pulumi up`, then the env vars (README, Configuration): correct its inputs (or the env) and run `pulumi up`";
  return "";
}

/** What to do when an operation's settings name another cluster than the one a resource lives on. */
export function movedClusterAdvice(origin: SettingsOrigin | undefined, livesOn: string): string {
  if (origin?.frontEnd === "plugin")
    return `point this resource's provider back at ${livesOn} (its endpoints, or the env vars) and run the command again; a resource moves to another cluster when its provider is replaced or it is given another provider (README, Configuration)`;
  return `set elastic:elasticsearchEndpoints / elastic:kibanaEndpoint (or their env vars) back to ${livesOn} to refresh or destroy it there. The dynamic resources cannot move between clusters: destroy them with the old endpoints first, then \`up\` with the new ones — or use the native plugin with one provider per cluster (README, Configuration)`;
}

/**
 * What to do with a create that never resolved, recorded at a URL where its service does not answer (a wrong URL;
 * README, Troubleshooting): the front end decides which settings refresh and destroy use.
 */
export function unansweredRecordAdvice(origin: SettingsOrigin | undefined, service: string, url: string): string {
  if (origin?.frontEnd === "plugin")
    return `If that URL was wrong: a provider keeps the endpoints it recorded for the resources it made, so remove this record with \`pulumi state delete ${URN_PLACEHOLDER}\` (if it asks which, the one whose id starts with unresolved-create:; nothing can be live at ${url}, where ${service} does not answer; if that URL forwards requests to a ${service}, look there first for what this create made, by its mark), then \`pulumi up\` with the corrected endpoint`;
  return `If that URL was wrong: correct the setting, then run \`pulumi refresh --run-program\` (or \`pulumi destroy --run-program\`): this create is looked for by its mark where the settings point now, whatever it made there is removed, and the record leaves state; then \`pulumi up\``;
}

/** A setting's value: the stack config first, then its env vars in order; empty strings count as unset. */
export function lookupSetting(source: SettingsSource, name: SettingName): string | undefined {
  const s: SettingSpec = SETTINGS[name];
  const fromConfig = source.config[s.config];
  if (fromConfig !== undefined && fromConfig !== "") return fromConfig;
  for (const env of s.env) {
    const v = source.env[env];
    if (v !== undefined && v !== "") return v;
  }
  return undefined;
}

/** Where a setting's value came from, as the user set it: `stack config \`elastic:x\`` or `env X`. */
export function settingOrigin(source: SettingsSource, name: SettingName): string {
  const s: SettingSpec = SETTINGS[name];
  const fromConfig = source.config[s.config];
  if (fromConfig !== undefined && fromConfig !== "") return `stack config \`${CONFIG_NAMESPACE}:${s.config}\``;
  const env = s.env.find((e) => source.env[e] !== undefined && source.env[e] !== "");
  return env ? `env ${env}` : describeSetting(name);
}

/** How a user sets a setting, for error messages: both the stack config key and the env vars. */
export function describeSetting(name: SettingName): string {
  const s: SettingSpec = SETTINGS[name];
  return `stack config \`${CONFIG_NAMESPACE}:${s.config}\` or env ${s.env.join(" / ")}`;
}

/** The config part of a source from namespaced keys (`elastic:kibanaEndpoint`), as the engine hands them over. */
export function configFromNamespaced(get: (key: string) => string | undefined): Record<string, string | undefined> {
  const config: Record<string, string | undefined> = {};
  for (const { config: key } of Object.values(SETTINGS) as SettingSpec[])
    config[key] = get(`${CONFIG_NAMESPACE}:${key}`);
  return config;
}
