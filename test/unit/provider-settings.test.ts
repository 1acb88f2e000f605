// What identifies a cluster, the one precedence of settings, and what the plugin records and compares for a provider
// (README, Configuration). The engine tests (clusters, provider-config) prove the same on the real CLI.
import { describe, expect, it } from "vitest";
import { clusterRecord, identityUrl, sameCluster } from "../../provider/elastic/cluster";
import { Connection } from "../../provider/elastic/connection";
import { booleanSetting, clusterChanges, settingsFor, type SettingsSource } from "../../provider/elastic/settings";
import {
  checkedProviderInputs,
  isStackConfigured,
  providerConfigDiff,
  providerSettings,
  STACK_CONFIGURED_INPUT,
} from "../../plugin/config";

describe("what identifies a cluster", () => {
  it("an endpoint's identity: scheme, lower-case host, explicit port, path without trailing slash", () => {
    expect(identityUrl("HTTPS://ES.Example.com/")).toBe("https://es.example.com:443");
    expect(identityUrl("http://kb:5601/kibana//")).toBe("http://kb:5601/kibana");
    expect(clusterRecord(["http://b:9200", "http://A:9200/", "http://a:9200"])).toBe("http://a:9200,http://b:9200");
  });

  it("two endpoint lists name the same cluster when they share a URL: a node added or removed is no move", () => {
    expect(sameCluster("http://a:9200,http://b:9200", "http://b:9200/,http://c:9200")).toBe(true);
    expect(sameCluster("http://a:9200", "https://a:9200")).toBe(false);
    expect(sameCluster("http://a:80", "http://a")).toBe(true);
  });

  it("a change of cluster is per place: Elasticsearch endpoints, and Fleet (Kibana's by default); credentials never", () => {
    const src = (config: Record<string, string>): SettingsSource => ({ config, env: {} });
    const a = {
      elasticsearchEndpoints: "http://a:9200",
      kibanaEndpoint: "http://kb-a:5601",
      elasticsearchPassword: "x",
    };
    expect(clusterChanges(src(a), src({ ...a, elasticsearchPassword: "y", elasticsearchUsername: "u" }))).toEqual([]);
    expect(clusterChanges(src(a), src({ ...a, elasticsearchEndpoints: "http://b:9200" }))).toEqual(["esEndpoints"]);
    expect(clusterChanges(src(a), src({ ...a, kibanaEndpoint: "http://kb-b:5601" }))).toEqual(["kibanaEndpoint"]);
    expect(clusterChanges(src(a), src({ ...a, fleetEndpoint: "http://fleet:5601" }))).toEqual(["fleetEndpoint"]);
    // A place one side does not name held nothing.
    expect(clusterChanges(src({ elasticsearchEndpoints: "http://a:9200" }), src(a))).toEqual([]);
  });
});

describe("the one precedence (settingsFor)", () => {
  const env = { ELASTICSEARCH_PASSWORD: "from-env", ELASTICSEARCH_ENDPOINTS: "http://env:9200" };

  it("the given values first, then the env vars", () => {
    const s = settingsFor({ frontEnd: "dynamic" }, { elasticsearchUsername: "u" }, env);
    const t = new Connection(s).elasticsearch();
    expect(t.urls).toEqual(["http://env:9200"]);
    expect(t.credentials).toEqual({ kind: "basic", username: "u", password: "from-env" });
  });

  it("a stack-configured provider: the current stack config for credentials, the recorded endpoints; a removed key falls back to env", () => {
    const recorded = {
      elasticsearchEndpoints: "http://a:9200",
      elasticsearchUsername: "u",
      elasticsearchPassword: "old",
    };
    const current = { elasticsearchEndpoints: "http://a:9200/", elasticsearchUsername: "u" };
    const t = new Connection(
      settingsFor({ frontEnd: "plugin", stackConfigured: true }, recorded, env, current),
    ).elasticsearch();
    expect(t.credentials).toEqual({ kind: "basic", username: "u", password: "from-env" });
    expect(t.urls).toEqual(["http://a:9200"]);
  });

  it("a stack-configured provider whose stack config now names another cluster keeps what it recorded", () => {
    const recorded = {
      elasticsearchEndpoints: "http://a:9200",
      elasticsearchUsername: "ua",
      elasticsearchPassword: "pa",
    };
    const current = {
      elasticsearchEndpoints: "http://b:9200",
      elasticsearchUsername: "ub",
      elasticsearchPassword: "pb",
    };
    const t = new Connection(
      settingsFor({ frontEnd: "plugin", stackConfigured: true }, recorded, {}, current),
    ).elasticsearch();
    expect(t).toMatchObject({ urls: ["http://a:9200"], credentials: { username: "ua", password: "pa" } });
  });

  it("the `…Insecure` switches: true/1 and false/0 in any case, or unset; anything else names the setting", () => {
    const of = (v?: string) => booleanSetting({ config: {}, env: { ELASTICSEARCH_INSECURE: v } }, "esInsecure");
    expect(["true", "TRUE", "1", " 1 "].map(of)).toEqual([true, true, true, true]);
    expect(["false", "0", "", undefined].map(of)).toEqual([false, false, false, false]);
    for (const bad of ["yes", "on", "2", "truthy"])
      expect(() => of(bad)).toThrow(/^env ELASTICSEARCH_INSECURE is neither true nor false/);
  });
});

describe("the plugin's provider configuration (plugin/config.ts)", () => {
  const config = (c: Record<string, string>) => ({ PULUMI_CONFIG: JSON.stringify(c) });

  it("configured from the stack config: every elastic:* input equal to it, absent equal to absent; no name involved", () => {
    const env = config({ elasticsearchEndpoints: "http://a:9200", elasticsearchUsername: "u" });
    expect(
      isStackConfigured({ elasticsearchEndpoints: "http://a:9200", elasticsearchUsername: "u", version: "1" }, env),
    ).toBe(true);
    expect(isStackConfigured({ elasticsearchEndpoints: "http://b:9200", elasticsearchUsername: "u" }, env)).toBe(false);
    expect(isStackConfigured({ elasticsearchEndpoints: "http://a:9200" }, env)).toBe(false);
    expect(isStackConfigured({}, {})).toBe(true);
  });

  it("CheckConfig records the endpoints from the env when the inputs leave them unset, never a credential", () => {
    const inputs = checkedProviderInputs(
      { elasticsearchUsername: "u" },
      { ELASTICSEARCH_ENDPOINTS: "http://env:9200", KIBANA_ENDPOINT: "http://kb:5601", ELASTICSEARCH_PASSWORD: "p" },
    );
    expect(inputs).toEqual({
      elasticsearchUsername: "u",
      elasticsearchEndpoints: "http://env:9200",
      kibanaEndpoint: "http://kb:5601",
      [STACK_CONFIGURED_INPUT]: false,
    });
  });

  it("DiffConfig replaces on a change of cluster only, naming the endpoint key; the flag is not compared", () => {
    const a = { elasticsearchEndpoints: "http://a:9200", elasticsearchPassword: "p", [STACK_CONFIGURED_INPUT]: true };
    expect(providerConfigDiff(a, { ...a, elasticsearchPassword: "q", [STACK_CONFIGURED_INPUT]: false })).toEqual({
      changed: ["elasticsearchPassword"],
      replaces: [],
    });
    expect(providerConfigDiff(a, { ...a, elasticsearchEndpoints: "http://b:9200" })).toEqual({
      changed: ["elasticsearchEndpoints"],
      replaces: ["elasticsearchEndpoints"],
    });
    expect(providerConfigDiff(a, { ...a, elasticsearchEndpoints: "http://a:9200,http://a2:9200" }).replaces).toEqual(
      [],
    );
  });

  it("Configure: a stack-configured provider follows the current config; any other its recorded inputs, then env", () => {
    const recorded = {
      elasticsearchEndpoints: "http://a:9200",
      elasticsearchUsername: "u",
      elasticsearchPassword: "old",
    };
    const env = {
      ...config({ elasticsearchEndpoints: "http://a:9200", elasticsearchUsername: "u" }),
      ELASTICSEARCH_PASSWORD: "env",
    };
    const password = (args: Record<string, unknown>) => {
      const c = new Connection(providerSettings(args, {}, env)).elasticsearch().credentials;
      return c.kind === "basic" ? c.password : undefined;
    };
    expect(password({ ...recorded, [STACK_CONFIGURED_INPUT]: true })).toBe("env");
    expect(password({ ...recorded, [STACK_CONFIGURED_INPUT]: false })).toBe("old");
  });
});

describe("the HTTP policy is a setting (stack config, then ELASTIC_KEYS_HTTP_*)", () => {
  const conn = (config: Record<string, string>, env: Record<string, string> = {}) =>
    new Connection({
      config: {
        elasticsearchEndpoints: "http://es:9200",
        elasticsearchUsername: "u",
        elasticsearchPassword: "p",
        ...config,
      },
      env,
    });

  it("defaults, the env var, and the stack config before the env var", () => {
    expect(conn({}).elasticsearch().policy).toMatchObject({
      timeoutMs: 30_000,
      budgetMs: 120_000,
      createTimeoutMs: 120_000,
    });
    expect(conn({}, { ELASTIC_KEYS_HTTP_TIMEOUT_MS: "5000" }).elasticsearch().policy.timeoutMs).toBe(5_000);
    const both = conn({ httpTimeoutMs: "7000", httpBudgetMs: "1000" }, { ELASTIC_KEYS_HTTP_TIMEOUT_MS: "5000" });
    expect(both.elasticsearch().policy).toMatchObject({ timeoutMs: 7_000, budgetMs: 1_000, createTimeoutMs: 7_000 });
  });

  it("a value that is not a whole number of milliseconds is refused, naming where it came from", () => {
    expect(() => conn({ httpBudgetMs: "2m" }).elasticsearch()).toThrow(
      /elastic:httpBudgetMs.*is not a whole number of milliseconds/,
    );
    expect(() => conn({}, { ELASTIC_KEYS_HTTP_BASE_DELAY_MS: "-1" }).elasticsearch()).toThrow(
      /ELASTIC_KEYS_HTTP_BASE_DELAY_MS.*is not a whole number/,
    );
  });
});
