// What a proxy between a client and Elastic can do to an answer after the server committed the write
// (commit-then-garble faults, emulator/README.md): the client must not trust such an answer, nor print its secrets.
import type { EmuResponse } from "./http-types";
import type { Json } from "./json";

export const GARBLES = ["drop-product-header", "html", "retype", "restatus"] as const;
export type Garble = (typeof GARBLES)[number];

/** An answer as written to the wire. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[]>;
  payload: Buffer;
}

/** Headers that say which product answered: Elasticsearch's `X-Elastic-Product`, Kibana's `kbn-name`. */
const PRODUCT_HEADERS = ["x-elastic-product", "kbn-name"];

const escapeHtml = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Every string becomes a one-element list, every number and boolean a string: each field's type changes. */
function retype(value: Json | undefined): Json | undefined {
  if (Array.isArray(value)) return value.map((v) => retype(v) ?? null);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, retype(v) ?? null]));
  if (typeof value === "string") return [value];
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return value;
}

/**
 * The real answer, garbled: `drop-product-header` removes the product headers; `html` wraps the body in a proxy's
 * HTML page (quoting it, entities and all); `retype` changes every field's type; `restatus` keeps the body and
 * headers under another status (`status`, default 500).
 */
export function garbleAnswer(
  garble: Garble,
  real: EmuResponse,
  headers: Record<string, string | string[]>,
  status?: number,
): RawAnswer {
  const json = (body: Json | undefined) => Buffer.from(body === undefined ? "" : JSON.stringify(body), "utf8");
  switch (garble) {
    case "drop-product-header":
      return {
        status: real.status,
        headers: Object.fromEntries(Object.entries(headers).filter(([h]) => !PRODUCT_HEADERS.includes(h))),
        payload: json(real.body),
      };
    case "html": {
      const page = `<html><head><title>Gateway</title></head><body><h1>Upstream answered</h1><pre>${escapeHtml(JSON.stringify(real.body ?? null))}</pre></body></html>`;
      return {
        status: status ?? real.status,
        headers: { ...headers, "content-type": "text/html; charset=utf-8" },
        payload: Buffer.from(page, "utf8"),
      };
    }
    case "retype":
      return { status: real.status, headers, payload: json(retype(real.body)) };
    case "restatus":
      return { status: status ?? 500, headers, payload: json(real.body) };
  }
}
