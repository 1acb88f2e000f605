// Kibana request gates in the order of docs/elastic-api.md 0.3, Boom bodies, space prefixes, API versions.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Client, Harness, startHarness, userWithRole } from "../support/conformance";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.emulator.stop());

const CREATE = { name: "gate-key", privileges: ["event:write"] };

describe("Kibana gates", () => {
  test("no or bad credentials: 401 Boom Unauthorized", async () => {
    for (const auth of [null, { username: "elastic", password: "nope" }]) {
      const r = await h.kibana.post("/api/apm/agent_keys", CREATE, { auth });
      expect(r.status).toBe(401);
      expect(r.body).toEqual({ statusCode: 401, error: "Unauthorized", message: "Unauthorized" });
    }
  });

  test("a write without kbn-xsrf is 400; kbn-version satisfies it, x-elastic-internal-origin does not", async () => {
    const bare = new Client(h.emulator.kibanaUrl, h.superuser);
    const r = await bare.post("/api/apm/agent_keys", CREATE);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      statusCode: 400,
      error: "Bad Request",
      message: "Request must contain a kbn-xsrf header.",
    });
    expect(
      (await bare.post("/api/apm/agent_keys", CREATE, { headers: { "x-elastic-internal-origin": "Kibana" } })).status,
    ).toBe(400);
    expect((await bare.post("/api/apm/agent_keys", CREATE, { headers: { "kbn-version": "8.15.0" } })).status).toBe(200);
    expect((await bare.post("/api/apm/agent_keys", CREATE, { headers: { "kbn-xsrf": "" } })).status).toBe(200);
  });

  test("GET needs no kbn-xsrf", async () => {
    const bare = new Client(h.emulator.kibanaUrl, h.superuser);
    expect((await bare.get("/api/spaces/space")).status).toBe(200);
  });

  test("a mismatched kbn-version is 400 with expected/got attributes", async () => {
    const r = await h.kibana.post("/api/apm/agent_keys", CREATE, { headers: { "kbn-version": "7.0.0" } });
    expect(r.status).toBe(400);
    expect(r.body.message).toBe(
      'Browser client is out of date, please refresh the page ("kbn-version" header was "7.0.0" but should be "8.15.0")',
    );
    expect(r.body.attributes).toEqual({ expected: "8.15.0", got: "7.0.0" });
  });

  test("route privileges: 403 with the Kibana privilege text (8.15: apm_write) and the space-stripped path", async () => {
    const user = await userWithRole(h, "no_kibana", { cluster: ["manage_own_api_key"] });
    const r = await h.kibana.post("/s/default/api/apm/agent_keys", CREATE, { auth: user });
    expect(r.status).toBe(403);
    expect(r.body).toEqual({
      statusCode: 403,
      error: "Forbidden",
      message:
        "API [POST /api/apm/agent_keys] is unauthorized for user, this action is granted by the Kibana privileges [apm,apm_write]",
    });
  });

  test.each([
    ["2023-10-31", 200, undefined],
    ["x", 400, 'Invalid version. Received "x", expected a valid date string formatted as YYYY-MM-DD.'],
    [
      "2024-01-01",
      400,
      'No version "2024-01-01" available for [post] [/api/apm/agent_keys]. Available versions are: [2023-10-31]',
    ],
  ])("elastic-api-version %s → %i", async (version, status, message) => {
    const r = await h.kibana.post("/api/apm/agent_keys", CREATE, { headers: { "elastic-api-version": version } });
    expect(r.status).toBe(status);
    if (message) expect(r.body.message).toBe(message);
    else expect(r.headers.get("elastic-api-version")).toBe("2023-10-31");
  });

  test("the apiVersion query parameter is refused", async () => {
    const r = await h.kibana.get("/api/fleet/enrollment_api_keys?apiVersion=2023-10-31");
    expect(r.status).toBe(400);
    expect(r.body.message).toBe(
      'Use of query parameter "apiVersion" is not allowed. Please specify the API version using the "elastic-api-version" header.',
    );
  });

  test("no version header on a public route uses the only version", async () => {
    const r = await h.kibana.get("/api/spaces/space");
    expect(r.status).toBe(200);
    expect(r.headers.get("elastic-api-version")).toBe("2023-10-31");
  });

  test("unknown routes and known paths with another method are 404 Boom", async () => {
    const r = await h.kibana.get("/api/nope");
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ statusCode: 404, error: "Not Found", message: "Not Found" });
    expect((await h.kibana.call("PATCH", "/api/apm/agent_keys")).status).toBe(404);
  });

  test("the /s/{space} prefix reaches every route and is not validated", async () => {
    expect((await h.kibana.post("/s/anything/api/apm/agent_keys", CREATE)).status).toBe(200);
    expect((await h.kibana.get("/s/default/api/spaces/space")).status).toBe(200);
  });

  test("malformed JSON is 400 Invalid request payload JSON format; a non-JSON type is 415", async () => {
    const bad = await h.kibana.post("/api/apm/agent_keys", undefined, { raw: "{nope" });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ statusCode: 400, error: "Bad Request", message: "Invalid request payload JSON format" });
    const text = await h.kibana.post("/api/apm/agent_keys", undefined, {
      raw: "{}",
      headers: { "content-type": "text/plain" },
    });
    expect(text.status).toBe(415);
  });
});

describe("internal routes with restrictInternalApis", () => {
  test("need x-elastic-internal-origin", async () => {
    const strict = await startHarness({ restrictInternalApis: true });
    try {
      const r = await strict.kibana.get("/internal/apm/agent_keys");
      expect(r.status).toBe(400);
      expect(r.body.message).toBe(
        "uri [/internal/apm/agent_keys] with method [get] exists but is not available with the current configuration",
      );
      const ok = await strict.kibana.get("/internal/apm/agent_keys", {
        headers: { "x-elastic-internal-origin": "Kibana" },
      });
      expect(ok.status).toBe(200);
    } finally {
      await strict.emulator.stop();
    }
  });

  test("are open by default", async () => {
    expect((await h.kibana.get("/internal/apm/agent_keys")).status).toBe(200);
  });
});
