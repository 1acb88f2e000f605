// The provider over TLS against the emulator's self-signed certificate: trusted through the CA setting (PEM data or
// a file path), refused without it — at once, with the fix — and accepted with the insecure setting.
import { mkdtempSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Connection } from "../../provider/elastic/connection";
import { send } from "../../provider/elastic/retry";
import type { SettingsSource } from "../../provider/elastic/settings";
import { startEmulator, type Emulator } from "../../emulator";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ tls: true });
});
afterAll(async () => {
  await emu.stop(); // closes every connection to it
});

const settings = (extra: Record<string, string>) => ({
  config: {
    elasticsearchEndpoints: emu.esUrl,
    elasticsearchUsername: "elastic",
    elasticsearchPassword: emu.superuser.password,
    ...extra,
  },
  env: {},
});
const elasticsearchTarget = (s: SettingsSource) => new Connection(s).elasticsearch();
const authenticate = { method: "GET" as const, path: "/_security/_authenticate", idempotent: true };

describe("TLS", () => {
  it("the emulator serves https", () => {
    expect(emu.esUrl).toMatch(/^https:/);
  });

  it("trusts the server through the CA certificate given as PEM data", async () => {
    const res = await send(elasticsearchTarget(settings({ elasticsearchCaCert: emu.caCertPem! })), authenticate);
    expect(res.status).toBe(200);
  });

  it("trusts the server through the CA certificate given as a file path", async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "pek-ca-")), "ca.pem");
    writeFileSync(file, emu.caCertPem!);
    const res = await send(elasticsearchTarget(settings({ elasticsearchCaCert: file })), authenticate);
    expect(res.status).toBe(200);
  });

  it("refuses an untrusted certificate at once, naming the CA and insecure settings", async () => {
    const started = Date.now();
    await expect(send(elasticsearchTarget(settings({})), authenticate)).rejects.toThrow(
      /certificate[\s\S]*CA certificate setting[\s\S]*insecure/i,
    );
    expect(Date.now() - started).toBeLessThan(5_000); // not retried for the whole budget
  });

  it("accepts any certificate with the insecure setting", async () => {
    const res = await send(elasticsearchTarget(settings({ elasticsearchInsecure: "true" })), authenticate);
    expect(res.status).toBe(200);
  });
});
