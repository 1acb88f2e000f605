// The serialized provider (`__provider`) that every dynamic resource stores twice, in its inputs and its outputs: it
// must stay small (the file backend rewrites the whole state after every step) and hold no credential (README,
// Secrets). One limit, for the shim a checkout stores (about 1 KB) and the bare require an installed package stores.
import * as assert from "node:assert/strict";
import { leaked } from "./elastic-checks";

export const MAX_PROVIDER_BYTES = 1536;

export function assertProviderText(text: string, credentials: string[]): void {
  const bytes = Buffer.byteLength(text);
  assert.ok(bytes <= MAX_PROVIDER_BYTES, `__provider is ${bytes} bytes, over ${MAX_PROVIDER_BYTES}:\n${text}`);
  assert.deepEqual(leaked(text, credentials), [], "no credential in __provider");
}
