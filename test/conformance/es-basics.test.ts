// Cross-cutting ES behaviour (docs/elastic-api.md 0.1, 0.2, E.3): product header, media types, error envelopes, routing
// errors, authentication failures, GET / and its monitor privilege.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Harness, startHarness, userWithRole } from "../support/conformance";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.emulator.stop());

describe("Elasticsearch conventions", () => {
  test("every response carries X-Elastic-Product, errors included", async () => {
    for (const r of [await h.es.get("/"), await h.es.get("/nope"), await h.es.get("/", { auth: null })]) {
      expect(r.headers.get("x-elastic-product")).toBe("Elasticsearch");
    }
  });

  test("GET / reports the configured version", async () => {
    const r = await h.es.get("/");
    expect(r.status).toBe(200);
    expect(r.body.version.number).toBe("8.15.0");
    expect(r.body.tagline).toBe("You Know, for Search");
  });

  test("GET / needs the monitor privilege", async () => {
    const user = await userWithRole(h, "no_monitor", { cluster: ["manage_own_api_key"] });
    const r = await h.es.get("/", { auth: user });
    expect(r.status).toBe(403);
    expect(r.body.error.type).toBe("security_exception");
    expect(r.body.error.reason).toBe(
      "action [cluster:monitor/main] is unauthorized for user [no_monitor] with effective roles [no_monitor_role], this action is granted by the cluster privileges [monitor,manage,all]",
    );
  });

  test("the versioned media type of the official clients is accepted, for 8 and 9", async () => {
    for (const v of [8, 9]) {
      const type = `application/vnd.elasticsearch+json; compatible-with=${v}`;
      const r = await h.es.post(
        "/_security/api_key",
        { name: `vnd-${v}` },
        { headers: { "content-type": type, accept: type } },
      );
      expect(r.status).toBe(200);
      expect(r.headers.get("content-type")).toContain(`compatible-with=${v}`);
    }
  });

  test("an unsupported content type is 406", async () => {
    const r = await h.es.post("/_security/api_key", undefined, {
      raw: '{"name":"x"}',
      headers: { "content-type": "text/plain" },
    });
    expect(r.status).toBe(406);
    expect(r.body).toEqual({ error: "Content-Type header [text/plain] is not supported", status: 406 });
  });

  test("malformed JSON is a 400 x_content_parse_exception with a position", async () => {
    const r = await h.es.post("/_security/api_key", undefined, { raw: '{"name": }' });
    expect(r.status).toBe(400);
    expect(r.body.error.type).toBe("x_content_parse_exception");
    expect(r.body.error.reason).toMatch(/^\[1:\d+\] /);
    expect(r.body.status).toBe(400);
  });

  test("a missing body where one is required is parse_exception 'request body is required'", async () => {
    const r = await h.es.post("/_security/api_key");
    expect(r.status).toBe(400);
    expect(r.body.error.type).toBe("parse_exception");
    expect(r.body.error.reason).toBe("request body is required");
  });

  test("an unknown route is 400 with a plain-string error", async () => {
    const r = await h.es.get("/_nope/x");
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ error: "no handler found for uri [/_nope/x] and method [GET]", status: 400 });
  });

  test("a known path with the wrong method is 405 listing the allowed methods", async () => {
    const r = await h.es.call("PATCH", "/_security/role/x");
    expect(r.status).toBe(405);
    expect(r.body.error).toMatch(
      /^Incorrect HTTP method for uri \[\/_security\/role\/x\] and method \[PATCH\], allowed: \[.*GET.*\]$/,
    );
  });

  test("an unknown query parameter is refused", async () => {
    const r = await h.es.get("/_security/api_key?foo=1");
    expect(r.status).toBe(400);
    expect(r.body.error.reason).toBe("request [/_security/api_key] contains unrecognized parameter: [foo]");
  });

  test("no credentials: 401 with WWW-Authenticate in the headers and in the body", async () => {
    const r = await h.es.get("/_security/_authenticate", { auth: null });
    expect(r.status).toBe(401);
    expect(r.body.error.type).toBe("security_exception");
    expect(r.body.error.reason).toBe("missing authentication credentials for REST request [/_security/_authenticate]");
    expect(r.body.error.header["WWW-Authenticate"]).toContain("ApiKey");
    expect(r.headers.get("www-authenticate")).toContain('Basic realm="security"');
  });

  test("a wrong password names the user in the 401", async () => {
    const r = await h.es.get("/_security/_authenticate", { auth: { username: "elastic", password: "wrong" } });
    expect(r.status).toBe(401);
    expect(r.body.error.reason).toBe(
      "unable to authenticate user [elastic] for REST request [/_security/_authenticate]",
    );
  });

  test("an unknown API key is 401 security_exception", async () => {
    const r = await h.es.get("/_security/_authenticate", {
      auth: { apiKey: Buffer.from("nope:nope").toString("base64") },
    });
    expect(r.status).toBe(401);
    expect(r.body.error.type).toBe("security_exception");
  });

  test("GET /_cluster/health answers for set-up steps", async () => {
    const r = await h.es.get("/_cluster/health?wait_for_status=yellow");
    expect(r.status).toBe(200);
    expect(r.body.status).toBe("green");
  });

  test("native users: create, read, replace, delete", async () => {
    const created = await h.es.put("/_security/user/joe", {
      password: "x-pack-test-password",
      roles: ["viewer"],
      full_name: "Joe",
    });
    expect(created.body).toEqual({ created: true });
    const replaced = await h.es.put("/_security/user/joe", { roles: ["editor"] });
    expect(replaced.body).toEqual({ created: false });
    const got = await h.es.get("/_security/user/joe");
    expect(got.body.joe.roles).toEqual(["editor"]);
    const who = await h.es.get("/_security/_authenticate", {
      auth: { username: "joe", password: "x-pack-test-password" },
    });
    expect(who.body.authentication_realm).toEqual({ name: "default_native", type: "native" });
    expect((await h.es.delete("/_security/user/joe")).body).toEqual({ found: true });
    const gone = await h.es.delete("/_security/user/joe");
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ found: false });
    expect((await h.es.get("/_security/user/joe")).status).toBe(404);
  });

  test("a short password is a validation failure", async () => {
    const r = await h.es.put("/_security/user/shorty", { password: "abc", roles: [] });
    expect(r.status).toBe(400);
    expect(r.body.error.reason).toBe("Validation Failed: 1: passwords must be at least [6] characters long;");
  });

  test("HEAD / answers like GET without a body (client ping)", async () => {
    const r = await h.es.call("HEAD", "/");
    expect(r.status).toBe(200);
    expect(r.text).toBe("");
    expect(r.headers.get("x-elastic-product")).toBe("Elasticsearch");
  });
});
