// The deployments users have (emulator/README.md, Deployments): Kibana under `server.basePath`, Elasticsearch behind a
// proxy that adds a path prefix, and a Kibana whose certificate comes from a CA of its own.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Agent, request } from "undici";
import { startEmulator, type Emulator } from "../../emulator";

let e: Emulator;
beforeAll(async () => {
  e = await startEmulator({ tls: true, kibanaOwnCa: true, kibanaBasePath: "/kibana/", esPathPrefix: "es" });
});
afterAll(() => e.stop());

const basic = `Basic ${Buffer.from("elastic:changeme").toString("base64")}`;
async function get(url: string, ca: string | undefined) {
  const dispatcher = new Agent({ connect: { ca } });
  try {
    const res = await request(url, { headers: { authorization: basic }, dispatcher });
    return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
  } finally {
    await dispatcher.close();
  }
}
const origin = (url: string) => new URL(url).origin;

describe("deployments", () => {
  test("the URLs carry the base path and the prefix", () => {
    expect(new URL(e.kibanaUrl).pathname).toBe("/kibana");
    expect(new URL(e.esUrl).pathname).toBe("/es");
  });

  test("Kibana answers below its base path, and a plain Kibana 404 outside it", async () => {
    const inside = await get(`${e.kibanaUrl}/api/status`, e.kibanaCaCertPem);
    expect(inside.status).toBe(200);
    const outside = await get(`${origin(e.kibanaUrl)}/api/status`, e.kibanaCaCertPem);
    expect(outside.status).toBe(404);
    expect(outside.headers["kbn-name"]).toBe("kibana");
    expect(JSON.parse(outside.text)).toEqual({ statusCode: 404, error: "Not Found", message: "Not Found" });
    // A base path is whole segments: /kibanax is not below /kibana.
    expect((await get(`${origin(e.kibanaUrl)}/kibanax/api/status`, e.kibanaCaCertPem)).status).toBe(404);
  });

  test("Elasticsearch answers below the proxy's prefix; outside it the proxy's own page, not Elasticsearch's", async () => {
    const inside = await get(`${e.esUrl}/`, e.caCertPem);
    expect(inside.status).toBe(200);
    expect(inside.headers["x-elastic-product"]).toBe("Elasticsearch");
    const outside = await get(`${origin(e.esUrl)}/`, e.caCertPem);
    expect(outside.status).toBe(404);
    expect(outside.headers["x-elastic-product"]).toBeUndefined();
    expect(outside.headers["content-type"]).toBe("text/html");
  });

  test("each listener's certificate is trusted through its own CA only", async () => {
    expect(e.kibanaCaCertPem).not.toBe(e.caCertPem);
    await expect(get(`${e.kibanaUrl}/api/status`, e.caCertPem)).rejects.toThrow();
    await expect(get(`${e.esUrl}/`, e.kibanaCaCertPem)).rejects.toThrow();
  });
});
