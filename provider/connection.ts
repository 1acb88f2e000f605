// Connection settings, resolved when an operation runs: stack config (namespace `elastic`, handed to the dynamic
// provider's `configure`) first, then the environment variables of the Terraform elasticstack provider.
// Kibana falls back to the Elasticsearch credentials, Fleet to Kibana. Nothing here is ever captured in state.
import { readFileSync } from "node:fs";
import { ElasticKeysError, registerSecret } from "./errors";

/** One setting: its stack config key (without the `elastic:` namespace) and its env vars, in order. */
interface SettingSource {
  config: string;
  env: readonly string[];
}

/** The settings table: the single source of truth for config keys and env vars (the README is checked against it). */
export const SETTINGS = {
  esEndpoints: { config: "elasticsearchEndpoints", env: ["ELASTICSEARCH_ENDPOINTS"] },
  esUsername: { config: "elasticsearchUsername", env: ["ELASTICSEARCH_USERNAME"] },
  esPassword: { config: "elasticsearchPassword", env: ["ELASTICSEARCH_PASSWORD"] },
  esApiKey: { config: "elasticsearchApiKey", env: ["ELASTICSEARCH_API_KEY"] },
  esInsecure: { config: "elasticsearchInsecure", env: ["ELASTICSEARCH_INSECURE"] },
  esCaCert: {
    config: "elasticsearchCaCert",
    env: ["ELASTICSEARCH_CA_DATA", "ELASTICSEARCH_CA_FILE", "ELASTICSEARCH_CA_CERTS"],
  },
  kibanaEndpoint: { config: "kibanaEndpoint", env: ["KIBANA_ENDPOINT"] },
  kibanaUsername: { config: "kibanaUsername", env: ["KIBANA_USERNAME"] },
  kibanaPassword: { config: "kibanaPassword", env: ["KIBANA_PASSWORD"] },
  kibanaApiKey: { config: "kibanaApiKey", env: ["KIBANA_API_KEY"] },
  kibanaInsecure: { config: "kibanaInsecure", env: ["KIBANA_INSECURE"] },
  kibanaCaCert: { config: "kibanaCaCert", env: ["KIBANA_CA_CERTS"] },
  fleetEndpoint: { config: "fleetEndpoint", env: ["FLEET_ENDPOINT"] },
  fleetUsername: { config: "fleetUsername", env: ["FLEET_USERNAME"] },
  fleetPassword: { config: "fleetPassword", env: ["FLEET_PASSWORD"] },
  fleetApiKey: { config: "fleetApiKey", env: ["FLEET_API_KEY"] },
  fleetCaCert: { config: "fleetCaCert", env: ["FLEET_CA_CERTS"] },
} as const satisfies Record<string, SettingSource>;

export type SettingName = keyof typeof SETTINGS;
export const CONFIG_NAMESPACE = "elastic";
/** The settings whose values are credentials: set them with `pulumi config set --secret`. */
export const SECRET_SETTINGS: readonly SettingName[] = [
  "esPassword",
  "esApiKey",
  "kibanaPassword",
  "kibanaApiKey",
  "fleetPassword",
  "fleetApiKey",
];

export type Credentials = { kind: "basic"; username: string; password: string } | { kind: "apiKey"; apiKey: string };

export interface Target {
  /** "Elasticsearch", "Kibana" or "Fleet": used in error messages. */
  service: "Elasticsearch" | "Kibana" | "Fleet";
  baseUrl: string;
  credentials: Credentials;
  caCert?: string;
  insecure: boolean;
}

/** A value source: the stack config the engine handed to `configure`, and the process environment. */
export interface SettingsSource {
  config: Readonly<Record<string, string | undefined>>;
  env: Readonly<Record<string, string | undefined>>;
}

let stackConfig: Record<string, string | undefined> = {};

/** Called synchronously from the dynamic provider's `configure`, before any await (pulumi-notes 3.5). */
export function setStackConfig(getValue: (key: string) => string | undefined): void {
  const next: Record<string, string | undefined> = {};
  for (const { config } of Object.values(SETTINGS)) next[config] = getValue(`${CONFIG_NAMESPACE}:${config}`);
  stackConfig = next;
}

export function currentSource(): SettingsSource {
  return { config: stackConfig, env: process.env };
}

function lookup(source: SettingsSource, name: SettingName): string | undefined {
  const s: SettingSource = SETTINGS[name];
  const fromConfig = source.config[s.config];
  if (fromConfig !== undefined && fromConfig !== "") return fromConfig;
  for (const env of s.env) {
    const v = source.env[env];
    if (v !== undefined && v !== "") return v;
  }
  return undefined;
}

function describe(name: SettingName): string {
  const s: SettingSource = SETTINGS[name];
  return `stack config \`${CONFIG_NAMESPACE}:${s.config}\` or env ${s.env.join(" / ")}`;
}

function missing(what: string, names: SettingName[]): ElasticKeysError {
  const how = names.map(describe).join(", or ");
  const example = SETTINGS[names[0]].config;
  return new ElasticKeysError(`no ${what} is configured`, {
    fix: `set ${how} (for example: pulumi config set ${CONFIG_NAMESPACE}:${example} <value>)`,
  });
}

function parseBool(raw: string | undefined): boolean {
  return raw !== undefined && /^(1|true|yes)$/i.test(raw.trim());
}

/** A CA given either as PEM data or as the path of a PEM file. */
function readCa(raw: string | undefined, name: SettingName): string | undefined {
  if (!raw) return undefined;
  if (raw.includes("-----BEGIN")) return raw;
  try {
    return readFileSync(raw, "utf8");
  } catch {
    throw new ElasticKeysError(`the CA certificate file "${raw}" cannot be read`, {
      fix: `set ${describe(name)} to PEM data or to the path of a readable PEM file`,
    });
  }
}

function credentialsFrom(
  source: SettingsSource,
  user: SettingName,
  pass: SettingName,
  key: SettingName,
): Credentials | undefined {
  const apiKey = lookup(source, key);
  if (apiKey) {
    registerSecret(apiKey);
    return { kind: "apiKey", apiKey };
  }
  const username = lookup(source, user);
  const password = lookup(source, pass);
  if (username && password) {
    registerSecret(password);
    return { kind: "basic", username, password };
  }
  return undefined;
}

function normaliseUrl(raw: string, name: SettingName): string {
  const url = raw.trim().replace(/\/+$/, "");
  if (!/^https?:\/\/[^/]+/.test(url)) {
    throw new ElasticKeysError(`"${url}" is not an http(s) URL`, {
      fix: `set ${describe(name)} to a URL such as https://host:9200`,
    });
  }
  return url;
}

export function elasticsearchTarget(source: SettingsSource = currentSource()): Target {
  const endpoints = lookup(source, "esEndpoints");
  if (!endpoints) throw missing("Elasticsearch endpoint", ["esEndpoints"]);
  const first =
    endpoints
      .split(",")
      .map((e) => e.trim())
      .filter(Boolean)[0] ?? "";
  const credentials = credentialsFrom(source, "esUsername", "esPassword", "esApiKey");
  if (!credentials) throw missing("Elasticsearch credential", ["esApiKey", "esUsername", "esPassword"]);
  return {
    service: "Elasticsearch",
    baseUrl: normaliseUrl(first, "esEndpoints"),
    credentials,
    caCert: readCa(lookup(source, "esCaCert"), "esCaCert"),
    insecure: parseBool(lookup(source, "esInsecure")),
  };
}

export function kibanaTarget(source: SettingsSource = currentSource()): Target {
  const endpoint = lookup(source, "kibanaEndpoint");
  if (!endpoint) throw missing("Kibana endpoint", ["kibanaEndpoint"]);
  const credentials =
    credentialsFrom(source, "kibanaUsername", "kibanaPassword", "kibanaApiKey") ??
    credentialsFrom(source, "esUsername", "esPassword", "esApiKey");
  if (!credentials)
    throw missing("Kibana credential", ["kibanaApiKey", "kibanaUsername", "kibanaPassword", "esApiKey", "esUsername"]);
  return {
    service: "Kibana",
    baseUrl: normaliseUrl(endpoint, "kibanaEndpoint"),
    credentials,
    caCert: readCa(lookup(source, "kibanaCaCert"), "kibanaCaCert"),
    insecure: parseBool(lookup(source, "kibanaInsecure")),
  };
}

/** Fleet is a Kibana API; FLEET_* settings override the Kibana ones when a separate endpoint or user is wanted. */
export function fleetTarget(source: SettingsSource = currentSource()): Target {
  const endpoint = lookup(source, "fleetEndpoint");
  const credentials = credentialsFrom(source, "fleetUsername", "fleetPassword", "fleetApiKey");
  if (!endpoint && !credentials) return { ...kibanaTarget(source), service: "Fleet" };
  const kibana = endpoint && credentials ? undefined : kibanaTarget(source);
  return {
    service: "Fleet",
    baseUrl: endpoint ? normaliseUrl(endpoint, "fleetEndpoint") : kibana!.baseUrl,
    credentials: credentials ?? kibana!.credentials,
    caCert: readCa(lookup(source, "fleetCaCert"), "fleetCaCert") ?? kibana?.caCert,
    insecure: kibana?.insecure ?? parseBool(lookup(source, "kibanaInsecure")),
  };
}
