// A Connection: the Elasticsearch, Kibana and Fleet targets one front end builds from the settings it was given
// (stack config, then the Terraform-compatible env vars), resolved once and passed into every operation. Kibana
// falls back to the Elasticsearch credentials, Fleet to Kibana. It also remembers what operations learn about the
// credential (whether it may only see its own keys, who it is), so each fact is asked for once per connection, and
// the secrets it knows (its credentials, the keys issued through it), which no text leaving it may show. Nothing here
// is ever captured in state.
import { readFileSync } from "node:fs";
import { ElasticKeysError } from "./errors";
import { redact, Redactor } from "./redaction";
import { policyFrom } from "./http-policy";
import { closeSession, newHttpSession, type HttpSession } from "./http-session";
import type { Credentials, EndpointOrigin, Service, Target } from "./target";
import {
  booleanSetting,
  describeSetting,
  lookupSetting,
  settingOrigin,
  SETTINGS,
  type SettingName,
  type SettingSpec,
  type SettingsSource,
} from "./settings";

function missing(what: string, names: SettingName[]): ElasticKeysError {
  const how = names.map(describeSetting).join(", or ");
  return new ElasticKeysError("not_configured", `no ${what} is configured`, {
    fix: `set ${how} (for example: pulumi config set elastic:${SETTINGS[names[0]].config} <value>)`,
  });
}

/** A CA given either as PEM data or as the path of a PEM file. */
function readCa(raw: string | undefined, name: SettingName): string | undefined {
  if (!raw) return undefined;
  if (raw.includes("-----BEGIN")) return raw;
  try {
    return readFileSync(raw, "utf8");
  } catch {
    throw new ElasticKeysError("invalid_input", `the CA certificate file "${raw}" cannot be read`, {
      fix: `set ${describeSetting(name)} to PEM data or to the path of a readable PEM file`,
    });
  }
}

/** http(s) URL without credentials in it, no trailing slash. */
export function normaliseUrl(raw: string, name: SettingName): string {
  const url = raw.trim().replace(/\/+$/, "");
  if (!/^https?:\/\/[^/]+/i.test(url) || !URL.canParse(url)) {
    throw new ElasticKeysError("invalid_input", `"${redact(url)}" is not an http(s) URL`, {
      fix: `set ${describeSetting(name)} to a URL such as https://host:9200`,
    });
  }
  if (/^https?:\/\/[^/]*@/i.test(url)) {
    throw new ElasticKeysError("invalid_input", `the endpoint "${redact(url)}" carries a username or password`, {
      fix: `remove the user-info part from ${describeSetting(name)} and give the credential with the username/password (or API key) settings instead`,
    });
  }
  return url;
}

function credentialsFrom(
  source: SettingsSource,
  user: SettingName,
  pass: SettingName,
  key: SettingName,
): Credentials | undefined {
  const apiKey = lookupSetting(source, key);
  if (apiKey) return { kind: "apiKey", apiKey };
  const username = lookupSetting(source, user);
  const password = lookupSetting(source, pass);
  if (username && password) return { kind: "basic", username, password };
  return undefined;
}

function targetKey(service: Service, urls: readonly string[], c: Credentials, insecure: boolean, ca?: string): string {
  const who = c.kind === "apiKey" ? `apikey:${c.apiKey}` : `basic:${c.username}:${c.password}`;
  return JSON.stringify([service, urls, who, insecure, ca ?? ""]);
}

/** A target before the Connection gives it its session. */
type UnboundTarget = Omit<Target, "session">;

function build(
  source: SettingsSource,
  service: Service,
  origin: EndpointOrigin,
  urls: string[],
  credentials: Credentials,
  caCert: string | undefined,
  insecure: boolean,
): UnboundTarget {
  const key = targetKey(service, urls, credentials, insecure, caCert);
  return { service, origin, urls, credentials, caCert, insecure, key, policy: policyFrom(source) };
}

function elasticsearchTarget(source: SettingsSource): UnboundTarget {
  const endpoints = lookupSetting(source, "esEndpoints");
  const urls = (endpoints ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean)
    .map((e) => normaliseUrl(e, "esEndpoints"));
  if (urls.length === 0) throw missing("Elasticsearch endpoint", ["esEndpoints"]);
  const credentials = credentialsFrom(source, "esUsername", "esPassword", "esApiKey");
  if (!credentials) throw missing("Elasticsearch credential", ["esApiKey", "esUsername", "esPassword"]);
  return build(
    source,
    "Elasticsearch",
    { service: "Elasticsearch", setting: settingOrigin(source, "esEndpoints") },
    urls,
    credentials,
    readCa(lookupSetting(source, "esCaCert"), "esCaCert"),
    booleanSetting(source, "esInsecure"),
  );
}

function kibanaTarget(source: SettingsSource): UnboundTarget {
  const endpoint = lookupSetting(source, "kibanaEndpoint");
  if (!endpoint) throw missing("Kibana endpoint", ["kibanaEndpoint"]);
  const credentials =
    credentialsFrom(source, "kibanaUsername", "kibanaPassword", "kibanaApiKey") ??
    credentialsFrom(source, "esUsername", "esPassword", "esApiKey");
  if (!credentials)
    throw missing("Kibana credential", ["kibanaApiKey", "kibanaUsername", "kibanaPassword", "esApiKey", "esUsername"]);
  return build(
    source,
    "Kibana",
    { service: "Kibana", setting: settingOrigin(source, "kibanaEndpoint") },
    [normaliseUrl(endpoint, "kibanaEndpoint")],
    credentials,
    readCa(lookupSetting(source, "kibanaCaCert"), "kibanaCaCert"),
    booleanSetting(source, "kibanaInsecure"),
  );
}

/** Fleet is a Kibana API; FLEET_* settings override the Kibana ones when a separate endpoint or user is wanted. */
function fleetTarget(source: SettingsSource): UnboundTarget {
  const endpoint = lookupSetting(source, "fleetEndpoint");
  const credentials = credentialsFrom(source, "fleetUsername", "fleetPassword", "fleetApiKey");
  const kibana = endpoint && credentials ? undefined : kibanaTarget(source);
  return build(
    source,
    "Fleet",
    endpoint ? { service: "Fleet", setting: settingOrigin(source, "fleetEndpoint") } : kibana!.origin,
    endpoint ? [normaliseUrl(endpoint, "fleetEndpoint")] : kibana!.urls.slice(),
    credentials ?? kibana!.credentials,
    readCa(lookupSetting(source, "fleetCaCert"), "fleetCaCert") ?? kibana?.caCert,
    kibana?.insecure ?? booleanSetting(source, "kibanaInsecure"),
  );
}

/** Who a credential is, as Elasticsearch reports it: the owner of the API keys it creates. */
export interface Identity {
  username: string;
  realm: string;
}

/** Facts an operation learns about a target's credential and keeps for the connection's lifetime. */
export interface TargetFacts {
  /** 403 on unscoped key reads: this credential may only see its own keys (manage_own_api_key). */
  ownKeysOnly?: boolean;
  identity?: Promise<Identity>;
  /** The cluster's version (`GET /`), undefined when the credential may not ask. */
  version?: Promise<string | undefined>;
  /** Privilege checks passed or in flight, by a key describing what was checked (a failed one is dropped). */
  privilegeChecks?: Map<string, Promise<void>>;
  /** The service answered at its URL as itself (service-proof.ts): asked before the first create. */
  serviceProven?: Promise<void>;
  /** Work done once per target and connection, by name (e.g. settling the create journal for a resource type). */
  once?: Map<string, Promise<void>>;
}

/** What a front end gives a connection besides its settings: where the user hears about what was done for them. */
export interface ConnectionOptions {
  /** A warning for the user (the front ends send it to the engine's log). Default: stderr. */
  warn?: (message: string) => void | Promise<void>;
}

/** The targets built from one settings source, each on first use, and what was learned about them. */
export class Connection {
  private readonly targets = new Map<Service, Target>();
  /** Keep-alive pools and node preferences: this connection's alone. */
  private readonly session: HttpSession = newHttpSession();
  private readonly facts = new Map<string, TargetFacts>();
  /** The credentials of the targets built so far and the keys issued through this connection. */
  private readonly redactor = new Redactor();

  /** Tells the user, without any secret this connection knows. */
  readonly warn: (message: string) => void | Promise<void>;

  constructor(
    readonly source: SettingsSource,
    options: ConnectionOptions = {},
  ) {
    const sink = options.warn ?? ((message) => void process.stderr.write(`warning: ${message}\n`));
    this.warn = (message) => sink(this.redact(message));
  }

  /** A secret issued through this connection (a key's secret, an enrollment token): no text leaving it shows it. */
  keepSecret(value: string | undefined): void {
    this.redactor.add(value);
  }

  /** The text without any secret this connection knows and without credential-shaped values. */
  redact(text: string): string {
    return this.redactor.apply(text);
  }

  /** The message of anything thrown, for printing: without any secret this connection knows. */
  messageOf(err: unknown): string {
    return this.redact(err instanceof Error ? err.message : String(err));
  }

  /** What is thrown from an operation on this connection: an ElasticKeysError is cleaned of its secrets. */
  redactError(err: unknown): unknown {
    return err instanceof ElasticKeysError ? err.redactedBy(this.redactor) : err;
  }

  elasticsearch(): Target {
    return this.target("Elasticsearch", elasticsearchTarget);
  }

  kibana(): Target {
    return this.target("Kibana", kibanaTarget);
  }

  fleet(): Target {
    return this.target("Fleet", fleetTarget);
  }

  /** Whether Elasticsearch settings are present (for best-effort checks that only run when they are). */
  hasElasticsearch(): boolean {
    try {
      this.elasticsearch();
      return true;
    } catch {
      return false;
    }
  }

  /** Throws the error naming a setting whose value is refused wherever it is used (the `…Insecure` switches). */
  checkSettingValues(): void {
    for (const name of Object.keys(SETTINGS) as SettingName[])
      if ((SETTINGS[name] as SettingSpec).kind === "boolean") booleanSetting(this.source, name);
  }

  factsAbout(target: Target): TargetFacts {
    let f = this.facts.get(target.key);
    if (!f) this.facts.set(target.key, (f = {}));
    return f;
  }

  private target(service: Service, make: (source: SettingsSource) => UnboundTarget): Target {
    let t = this.targets.get(service);
    if (!t) {
      this.targets.set(service, (t = { ...make(this.source), session: this.session }));
      const c = t.credentials;
      this.redactor.add(c.kind === "apiKey" ? c.apiKey : c.password);
    }
    return t;
  }

  private readonly scopedState = new Map<symbol, unknown>();

  /**
   * State another room keeps for the life of this connection (the framework's replacements, replacements.ts), by its
   * own key, so the clients need not know its type and no module holds it.
   */
  scoped<T>(key: symbol, make: () => T): T {
    if (!this.scopedState.has(key)) this.scopedState.set(key, make());
    return this.scopedState.get(key) as T;
  }

  /** Closes the connection's keep-alive pools (a short-lived process before it ends; tests). */
  close(): Promise<void> {
    return closeSession(this.session);
  }
}
