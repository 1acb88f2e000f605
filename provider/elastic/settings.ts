// The connection settings table: for each setting its stack config key (namespace `elastic`), the environment
// variables of the Terraform elasticstack provider it falls back to, whether it is a credential, and its doc. The
// README table, the plugin's config schema and the lookups below all derive from it.

/** One setting: its stack config key (without the `elastic:` namespace), its env vars in order, and its doc. */
export interface SettingSpec {
  config: string;
  env: readonly string[];
  doc: string;
  /** A credential: set it with `pulumi config set --secret`; never printed. */
  secret?: boolean;
  kind?: "boolean";
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
} as const satisfies Record<string, SettingSpec>;

export type SettingName = keyof typeof SETTINGS;
export const CONFIG_NAMESPACE = "elastic";

/** The settings whose values are credentials: set them with `pulumi config set --secret`. */
export const SECRET_SETTINGS: readonly SettingName[] = (Object.keys(SETTINGS) as SettingName[]).filter(
  (name) => (SETTINGS[name] as SettingSpec).secret === true,
);

/**
 * Where setting values come from: stack config values by their key without the namespace (from the front end:
 * the dynamic provider's `configure`, or the plugin's Configure), then the process environment.
 */
export interface SettingsSource {
  config: Readonly<Record<string, string | undefined>>;
  env: Readonly<Record<string, string | undefined>>;
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
