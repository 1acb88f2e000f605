// A robust server: bounded bodies, keep-alive, consistent state under 200 concurrent requests, TLS.
import { X509Certificate } from "node:crypto";
import * as http from "node:http";
import * as https from "node:https";
import { AddressInfo, connect } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { buildCertificateWithNodeCrypto } from "../../emulator/tls";
import { APM_AGENT_KEY_ROLE, Harness, startHarness, userWithRole } from "../support/conformance";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
beforeEach(() => h.emulator.admin.reset());
afterAll(() => h.emulator.stop());

function rawGet(agent: http.Agent, url: string, auth: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers: { authorization: auth } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
  });
}

describe("robustness", () => {
  test("a body over 1 MiB is 413 in each server's error shape", async () => {
    const big = JSON.stringify({ name: "x", metadata: { blob: "x".repeat(1024 * 1024 + 10) } });
    const es = await h.es.post("/_security/api_key", undefined, { raw: big });
    expect(es.status).toBe(413);
    expect(es.headers.get("x-elastic-product")).toBe("Elasticsearch");
    expect(es.body.status).toBe(413);
    const kb = await h.kibana.post("/api/apm/agent_keys", undefined, { raw: big });
    expect(kb.status).toBe(413);
    expect(kb.body.statusCode).toBe(413);
    expect(h.emulator.admin.state().apiKeys.length).toBe(0);
  });

  test("a client vanishing mid-body or mid-latency leaves the server serving", async () => {
    const { port } = new URL(h.emulator.esUrl);
    await new Promise<void>((resolve) => {
      const socket = connect(Number(port), "127.0.0.1", () => {
        socket.write(
          'POST /_security/api_key HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"name":',
        );
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 50);
      });
    });
    h.emulator.admin.setLatency(100);
    const controller = new AbortController();
    const pending = fetch(`${h.emulator.esUrl}/`, { signal: controller.signal }).catch(() => undefined);
    setTimeout(() => controller.abort(), 20);
    await pending;
    h.emulator.admin.setLatency(0);
    await new Promise((r) => setTimeout(r, 120));
    expect((await h.es.get("/_security/_authenticate")).status).toBe(200);
  });

  test("keep-alive: sequential requests reuse one connection", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const auth = `Basic ${Buffer.from("elastic:changeme").toString("base64")}`;
    try {
      for (let i = 0; i < 5; i++)
        expect(await rawGet(agent, `${h.emulator.esUrl}/_security/_authenticate`, auth)).toBe(200);
      expect(h.emulator.admin.connections().es).toBe(1);
    } finally {
      agent.destroy();
    }
  });

  test("200 concurrent writes keep state consistent", async () => {
    const user = await userWithRole(h, "apm_creator", APM_AGENT_KEY_ROLE);
    const policy = await h.kibana.post("/api/fleet/agent_policies", { name: "p", namespace: "default" });
    const calls = Array.from({ length: 200 }, (_, i) => {
      if (i % 4 === 0) return h.es.post("/_security/api_key", { name: `rest-${i}` });
      if (i % 4 === 1)
        return h.kibana.post("/api/apm/agent_keys", { name: `apm-${i}`, privileges: ["event:write"] }, { auth: user });
      if (i % 4 === 2)
        return h.kibana.post("/api/fleet/enrollment_api_keys", { policy_id: policy.body.item.id, name: "same-name" });
      return h.es.put(`/_security/role/role-${i}`, { cluster: ["monitor"] });
    });
    const replies = await Promise.all(calls);
    const byKind = (k: number) => replies.filter((_, i) => i % 4 === k);
    expect(byKind(0).every((r) => r.status === 200)).toBe(true);
    expect(byKind(1).every((r) => r.status === 200)).toBe(true);
    // Exactly one of the 50 same-name enrollment keys wins; the rest conflict.
    expect(byKind(2).filter((r) => r.status === 200).length).toBe(1);
    expect(byKind(2).filter((r) => r.status === 409).length).toBe(49);
    expect(byKind(3).every((r) => r.status === 200 && (r.body.role.created as unknown) === true)).toBe(true);
    const state = h.emulator.admin.state();
    // 50 REST + 50 APM + 1 Default enrollment key + 1 named enrollment key.
    expect(state.apiKeys.length).toBe(102);
    expect(new Set(state.apiKeys.map((k) => k.id)).size).toBe(102);
    expect(state.enrollmentKeys.length).toBe(2);
    expect(state.roles.filter((r) => r.name.startsWith("role-")).length).toBe(50);
    const listed = await h.es.get("/_security/api_key");
    expect(listed.body.api_keys.length).toBe(102);
  });
});

describe("TLS", () => {
  test("an https request trusting caCertPem succeeds on both listeners", async () => {
    const secure = await startHarness({ tls: true });
    try {
      expect(secure.emulator.esUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(secure.emulator.caCertPem).toContain("BEGIN CERTIFICATE");
      for (const url of [
        `${secure.emulator.esUrl}/_security/_authenticate`,
        `${secure.emulator.kibanaUrl}/api/spaces/space`,
      ]) {
        const status = await new Promise<number>((resolve, reject) => {
          https
            .get(
              url,
              {
                ca: secure.emulator.caCertPem,
                headers: { authorization: `Basic ${Buffer.from("elastic:changeme").toString("base64")}` },
              },
              (res) => {
                res.resume();
                resolve(res.statusCode ?? 0);
              },
            )
            .on("error", reject);
        });
        expect(status).toBe(200);
      }
      const untrusted = new Promise((resolve, reject) =>
        https.get(`${secure.emulator.esUrl}/`, resolve).on("error", reject),
      );
      await expect(untrusted).rejects.toThrow();
    } finally {
      await secure.emulator.stop();
    }
  });

  test("the hand-built certificate (no openssl) is valid for 127.0.0.1 and localhost", async () => {
    const { keyPem, certPem } = buildCertificateWithNodeCrypto();
    const x509 = new X509Certificate(certPem);
    expect(x509.subjectAltName).toContain("IP Address:127.0.0.1");
    expect(x509.subjectAltName).toContain("DNS:localhost");
    expect(x509.verify(x509.publicKey)).toBe(true);
    const server = https.createServer({ key: keyPem, cert: certPem }, (_req, res) => res.end("ok"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      for (const host of ["127.0.0.1", "localhost"]) {
        const body = await new Promise<string>((resolve, reject) => {
          https
            .get(`https://${host}:${port}/`, { ca: certPem }, (res) => {
              let text = "";
              res.on("data", (c: Buffer) => (text += c.toString()));
              res.on("end", () => resolve(text));
            })
            .on("error", reject);
        });
        expect(body).toBe("ok");
      }
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
