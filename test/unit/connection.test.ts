import { describe, expect, it } from "vitest";
import { Connection } from "../../provider/elastic/connection";
import type { SettingsSource } from "../../provider/elastic/settings";

const src = (config: Record<string, string>, env: Record<string, string> = {}): SettingsSource => ({ config, env });
const elasticsearchTarget = (s: SettingsSource) => new Connection(s).elasticsearch();
const kibanaTarget = (s: SettingsSource) => new Connection(s).kibana();
const fleetTarget = (s: SettingsSource) => new Connection(s).fleet();

describe("connection settings", () => {
  it("stack config wins over the Terraform-compatible env vars", () => {
    const t = elasticsearchTarget(
      src(
        { elasticsearchEndpoints: "https://config:9200", elasticsearchApiKey: "k1" },
        { ELASTICSEARCH_ENDPOINTS: "https://env:9200", ELASTICSEARCH_API_KEY: "k2" },
      ),
    );
    expect(t.urls).toEqual(["https://config:9200"]);
    expect(t.credentials).toEqual({ kind: "apiKey", apiKey: "k1" });
  });

  it("env vars are used when the stack config is silent; every endpoint of a list is kept in order, trailing slash dropped", () => {
    const t = elasticsearchTarget(
      src(
        {},
        {
          ELASTICSEARCH_ENDPOINTS: "http://a:9200/, http://b:9200",
          ELASTICSEARCH_USERNAME: "u",
          ELASTICSEARCH_PASSWORD: "p",
        },
      ),
    );
    expect(t.urls).toEqual(["http://a:9200", "http://b:9200"]);
    expect(t.credentials).toEqual({ kind: "basic", username: "u", password: "p" });
  });

  it("Kibana falls back to the Elasticsearch credentials, Fleet to Kibana", () => {
    const s = src(
      { kibanaEndpoint: "http://kb:5601" },
      {
        ELASTICSEARCH_ENDPOINTS: "http://es:9200",
        ELASTICSEARCH_USERNAME: "u",
        ELASTICSEARCH_PASSWORD: "p",
        KIBANA_INSECURE: "true",
      },
    );
    expect(kibanaTarget(s)).toMatchObject({
      service: "Kibana",
      urls: ["http://kb:5601"],
      credentials: { kind: "basic", username: "u" },
      insecure: true,
    });
    expect(fleetTarget(s)).toMatchObject({
      service: "Fleet",
      urls: ["http://kb:5601"],
      credentials: { kind: "basic", username: "u" },
    });
    expect(fleetTarget({ ...s, env: { ...s.env, FLEET_API_KEY: "fk" } }).credentials).toEqual({
      kind: "apiKey",
      apiKey: "fk",
    });
  });

  it("a missing endpoint names both the stack config key and the env var", () => {
    expect(() => kibanaTarget(src({}, { ELASTICSEARCH_USERNAME: "u", ELASTICSEARCH_PASSWORD: "p" }))).toThrow(
      /elastic:kibanaEndpoint.*KIBANA_ENDPOINT/s,
    );
    expect(() => elasticsearchTarget(src({}))).toThrow(/elastic:elasticsearchEndpoints.*ELASTICSEARCH_ENDPOINTS/s);
  });

  it("a missing credential is named without echoing any value", () => {
    let message = "";
    try {
      elasticsearchTarget(src({ elasticsearchEndpoints: "http://es:9200", elasticsearchUsername: "only-user" }));
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/no Elasticsearch credential is configured/);
    expect(message).toMatch(/ELASTICSEARCH_API_KEY/);
  });

  it("a CA certificate may be PEM data; an unreadable file path is a clear error", () => {
    const pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    const base = { elasticsearchEndpoints: "https://es:9200", elasticsearchApiKey: "k" };
    expect(elasticsearchTarget(src({ ...base, elasticsearchCaCert: pem })).caCert).toBe(pem);
    expect(() => elasticsearchTarget(src({ ...base, elasticsearchCaCert: "/nonexistent/ca.pem" }))).toThrow(
      /CA certificate file "\/nonexistent\/ca.pem" cannot be read/,
    );
  });

  it("a non-URL endpoint is refused with the fix", () => {
    expect(() => elasticsearchTarget(src({ elasticsearchEndpoints: "es:9200", elasticsearchApiKey: "k" }))).toThrow(
      /not an http\(s\) URL/,
    );
  });

  it("an endpoint carrying a username or password is refused, and the password is never printed", () => {
    let message = "";
    try {
      elasticsearchTarget(
        src({ elasticsearchEndpoints: "http://admin:hunter2-secret@es:9200", elasticsearchApiKey: "k" }),
      );
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/carries a username or password/);
    expect(message).toMatch(/username\/password \(or API key\) settings/);
    expect(message).not.toMatch(/hunter2-secret/);
    expect(message).not.toMatch(/admin:/);
  });

  it("a URL that is not http(s) never prints user-info either", () => {
    let message = "";
    try {
      elasticsearchTarget(src({ elasticsearchEndpoints: "ftp://admin:hunter2-secret@es", elasticsearchApiKey: "k" }));
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/is not an http\(s\) URL/);
    expect(message).not.toMatch(/hunter2-secret/);
  });

  it("a connection resolves each target once and remembers what it learned per target", () => {
    const conn = new Connection(src({ elasticsearchEndpoints: "http://es:9200", elasticsearchApiKey: "k" }));
    expect(conn.elasticsearch()).toBe(conn.elasticsearch());
    conn.factsAbout(conn.elasticsearch()).ownKeysOnly = true;
    expect(conn.factsAbout(conn.elasticsearch()).ownKeysOnly).toBe(true);
    expect(new Connection(conn.source).factsAbout(conn.elasticsearch()).ownKeysOnly).toBeUndefined();
  });
});

describe("a connection owns its HTTP session", () => {
  it("its targets share one session (pools, preferred node); another connection has its own, closed with it", async () => {
    const config = {
      elasticsearchEndpoints: "http://127.0.0.1:1",
      elasticsearchUsername: "u",
      elasticsearchPassword: "p",
      kibanaEndpoint: "http://127.0.0.1:2",
    };
    const a = new Connection({ config, env: {} });
    const b = new Connection({ config, env: {} });
    expect(a.elasticsearch().session).toBe(a.kibana().session);
    expect(a.elasticsearch().session).not.toBe(b.elasticsearch().session);
    a.elasticsearch().session.preferredNode.set("k", 1);
    expect(b.elasticsearch().session.preferredNode.size).toBe(0);
    await a.close();
    expect(a.elasticsearch().session.pools.size).toBe(0);
  });
});
