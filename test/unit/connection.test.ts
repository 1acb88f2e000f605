import { describe, expect, it } from "vitest";
import { elasticsearchTarget, fleetTarget, kibanaTarget, type SettingsSource } from "../../provider/connection";

const src = (config: Record<string, string>, env: Record<string, string> = {}): SettingsSource => ({ config, env });

describe("connection settings", () => {
  it("stack config wins over the Terraform-compatible env vars", () => {
    const t = elasticsearchTarget(
      src(
        { elasticsearchEndpoints: "https://config:9200", elasticsearchApiKey: "k1" },
        { ELASTICSEARCH_ENDPOINTS: "https://env:9200", ELASTICSEARCH_API_KEY: "k2" },
      ),
    );
    expect(t.baseUrl).toBe("https://config:9200");
    expect(t.credentials).toEqual({ kind: "apiKey", apiKey: "k1" });
  });

  it("env vars are used when the stack config is silent, first endpoint of a list, trailing slash dropped", () => {
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
    expect(t.baseUrl).toBe("http://a:9200");
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
      baseUrl: "http://kb:5601",
      credentials: { kind: "basic", username: "u" },
      insecure: true,
    });
    expect(fleetTarget(s)).toMatchObject({
      service: "Fleet",
      baseUrl: "http://kb:5601",
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
});
