// Identifier formats of docs/elastic-api.md F.
import { randomBytes, randomUUID, createHash } from "node:crypto";

let sequence = 0;

/** 20 characters of URL-safe base64 over 15 bytes: a time-ordered prefix and random bytes, like UUIDs.base64UUID. */
export function newApiKeyId(nowMs: number): string {
  const bytes = Buffer.alloc(15);
  bytes.writeUIntBE(Math.floor(nowMs) % 2 ** 48, 0, 6);
  bytes.writeUInt16BE(sequence++ & 0xffff, 6);
  randomBytes(7).copy(bytes, 8);
  return bytes.toString("base64url");
}

/** 22 characters of URL-safe base64 over 16 random bytes. */
export function newApiKeySecret(): string {
  return randomBytes(16).toString("base64url");
}

export function encodeApiKey(id: string, secret: string): string {
  return Buffer.from(`${id}:${secret}`, "utf8").toString("base64");
}

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export function newUuid(): string {
  return randomUUID();
}
