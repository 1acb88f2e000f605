// JSON values and a small position-aware parser. ES object parsers prefix their errors with the "[line:col]" of
// the offending token (docs/elastic-api.md 0.1), so the emulator keeps the location of every object key it parses.

export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

export interface Position {
  line: number;
  col: number;
}

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: Position,
  ) {
    super(message);
  }
}

const keyPositions = new WeakMap<object, Map<string, Position>>();
const valuePositions = new WeakMap<object, Position>();

/** Where a key of a parsed object started, for "[l:c]" prefixes; [1:1] when unknown. */
export function keyPosition(obj: JsonObject, key: string): Position {
  return keyPositions.get(obj)?.get(key) ?? valuePositions.get(obj) ?? { line: 1, col: 1 };
}

/** Where a parsed object or array started. */
export function valuePosition(value: Json): Position {
  return (typeof value === "object" && value !== null ? valuePositions.get(value) : undefined) ?? { line: 1, col: 1 };
}

export function formatPosition(p: Position): string {
  return `[${p.line}:${p.col}]`;
}

export function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

class Parser {
  private i = 0;
  private line = 1;
  private lineStart = 0;

  constructor(private readonly text: string) {}

  parseDocument(): Json {
    this.skipWhitespace();
    const value = this.parseValue();
    this.skipWhitespace();
    if (this.i < this.text.length) this.fail(`Unexpected character ('${this.text[this.i]}')`);
    return value;
  }

  private position(): Position {
    return { line: this.line, col: this.i - this.lineStart + 1 };
  }

  private fail(message: string): never {
    throw new JsonSyntaxError(message, this.position());
  }

  private skipWhitespace(): void {
    while (this.i < this.text.length) {
      const c = this.text[this.i];
      if (c === "\n") {
        this.i++;
        this.line++;
        this.lineStart = this.i;
      } else if (c === " " || c === "\t" || c === "\r") {
        this.i++;
      } else {
        break;
      }
    }
  }

  private parseValue(): Json {
    const c = this.text[this.i];
    if (c === undefined) this.fail("Unexpected end-of-input");
    if (c === "{") return this.parseObject();
    if (c === "[") return this.parseArray();
    if (c === '"') return this.parseString();
    if (c === "-" || (c >= "0" && c <= "9")) return this.parseNumber();
    for (const [word, value] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const) {
      if (this.text.startsWith(word, this.i)) {
        this.i += word.length;
        return value;
      }
    }
    return this.fail(`Unrecognized token '${this.text.slice(this.i, this.i + 10).split(/[\s,}\]]/)[0]}'`);
  }

  private parseObject(): JsonObject {
    const start = this.position();
    const obj: JsonObject = {};
    const positions = new Map<string, Position>();
    keyPositions.set(obj, positions);
    valuePositions.set(obj, start);
    this.i++;
    this.skipWhitespace();
    if (this.text[this.i] === "}") {
      this.i++;
      return obj;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.i] !== '"')
        this.fail(
          `Unexpected character ('${this.text[this.i] ?? "EOF"}'): was expecting double-quote to start field name`,
        );
      const keyAt = this.position();
      const key = this.parseString();
      if (positions.has(key)) throw new JsonSyntaxError(`Duplicate field '${key}'`, keyAt);
      positions.set(key, keyAt);
      this.skipWhitespace();
      if (this.text[this.i] !== ":")
        this.fail(
          `Unexpected character ('${this.text[this.i] ?? "EOF"}'): was expecting a colon to separate field name and value`,
        );
      this.i++;
      this.skipWhitespace();
      obj[key] = this.parseValue();
      this.skipWhitespace();
      const next = this.text[this.i];
      this.i++;
      if (next === "}") return obj;
      if (next !== ",") {
        this.i--;
        this.fail(`Unexpected character ('${next ?? "EOF"}'): was expecting comma to separate Object entries`);
      }
    }
  }

  private parseArray(): Json[] {
    const start = this.position();
    const arr: Json[] = [];
    valuePositions.set(arr, start);
    this.i++;
    this.skipWhitespace();
    if (this.text[this.i] === "]") {
      this.i++;
      return arr;
    }
    for (;;) {
      this.skipWhitespace();
      arr.push(this.parseValue());
      this.skipWhitespace();
      const next = this.text[this.i];
      this.i++;
      if (next === "]") return arr;
      if (next !== ",") {
        this.i--;
        this.fail(`Unexpected character ('${next ?? "EOF"}'): was expecting comma to separate Array entries`);
      }
    }
  }

  private parseString(): string {
    const start = this.i;
    this.i++;
    let out = "";
    for (;;) {
      const c = this.text[this.i];
      if (c === undefined) this.fail("Unexpected end-of-input in VALUE_STRING");
      if (c === '"') {
        this.i++;
        return out;
      }
      if (c === "\\") {
        const raw = this.text.slice(start, this.i + 6);
        const esc = this.text[this.i + 1];
        if (esc === "u") {
          const hex = this.text.slice(this.i + 2, this.i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail(`Unexpected character in unicode escape: ${raw}`);
          out += String.fromCharCode(parseInt(hex, 16));
          this.i += 6;
          continue;
        }
        const simple: Record<string, string> = {
          '"': '"',
          "\\": "\\",
          "/": "/",
          b: "\b",
          f: "\f",
          n: "\n",
          r: "\r",
          t: "\t",
        };
        const mapped = esc === undefined ? undefined : simple[esc];
        if (mapped === undefined) this.fail(`Unrecognized character escape '${esc ?? "EOF"}'`);
        out += mapped;
        this.i += 2;
        continue;
      }
      if (c < " ")
        this.fail("Illegal unquoted character: has to be escaped using backslash to be included in string value");
      out += c;
      this.i++;
    }
  }

  private parseNumber(): number {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.i));
    if (!match) this.fail("Unexpected character: expected digit (0-9) to follow minus sign, for valid numeric value");
    this.i += match[0].length;
    return Number(match[0]);
  }
}

export function parseJson(text: string): Json {
  return new Parser(text).parseDocument();
}

/** Type name as Jackson reports it ("VALUE_STRING", "START_ARRAY", …) for ES parser messages. */
export function tokenName(value: Json | undefined): string {
  if (value === undefined || value === null) return "VALUE_NULL";
  if (Array.isArray(value)) return "START_ARRAY";
  if (typeof value === "object") return "START_OBJECT";
  if (typeof value === "string") return "VALUE_STRING";
  if (typeof value === "boolean") return "VALUE_BOOLEAN";
  return "VALUE_NUMBER";
}

/** JSON text with object keys sorted, for order-insensitive equality (C.4 no-op detection). */
export function canonicalJson(value: Json | undefined): string {
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}
