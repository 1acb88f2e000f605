// The KQL subset Fleet's list routes accept (docs/elastic-api.md B.3): `field:value` or `field:"value"`, fields bare or
// prefixed with the saved-object type, joined with and/or, grouped with parentheses, negated with not. Fields are
// checked against the route's mapping as Fleet's strict KQL validation does; unknown fields and bad syntax are 400s.
import { boom } from "../errors";

export type KueryNode =
  | { kind: "match"; field: string; value: string; quoted: boolean }
  | { kind: "and" | "or"; left: KueryNode; right: KueryNode }
  | { kind: "not"; node: KueryNode };

type Token = { type: "word" | "quoted" | "colon" | "lparen" | "rparen"; text: string; at: number };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === ":") {
      tokens.push({ type: "colon", text: c, at: i++ });
    } else if (c === "(") {
      tokens.push({ type: "lparen", text: c, at: i++ });
    } else if (c === ")") {
      tokens.push({ type: "rparen", text: c, at: i++ });
    } else if (c === '"') {
      const start = i++;
      let value = "";
      while (i < text.length && text[i] !== '"') {
        if (text[i] === "\\" && i + 1 < text.length) i++;
        value += text[i++];
      }
      if (i >= text.length) throw syntaxError(text, start);
      i++;
      tokens.push({ type: "quoted", text: value, at: start });
    } else {
      const start = i;
      while (i < text.length && !/[\s:()"]/.test(text[i] as string)) i++;
      tokens.push({ type: "word", text: text.slice(start, i), at: start });
    }
  }
  return tokens;
}

class KuerySyntaxError extends Error {}

/** The KQL grammar's failure text: what was expected, the query, and a caret under the offending position. */
function syntaxError(text: string, at: number): Error {
  const found = at >= text.length ? "end of input" : `"${text[at]}"`;
  return new KuerySyntaxError(`Expected "(", NOT, field name, value but ${found} found.\n${text}\n${"-".repeat(at)}^`);
}

export function parseKuery(text: string): KueryNode | undefined {
  const tokens = tokenize(text);
  if (tokens.length === 0) return undefined;
  let pos = 0;
  const peek = () => tokens[pos];
  const isKeyword = (t: Token | undefined, word: string) => t?.type === "word" && t.text.toLowerCase() === word;

  const parseOr = (): KueryNode => {
    let left = parseAnd();
    while (isKeyword(peek(), "or")) {
      pos++;
      left = { kind: "or", left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): KueryNode => {
    let left = parseNot();
    while (isKeyword(peek(), "and")) {
      pos++;
      left = { kind: "and", left, right: parseNot() };
    }
    return left;
  };
  const parseNot = (): KueryNode => {
    if (isKeyword(peek(), "not")) {
      pos++;
      return { kind: "not", node: parseNot() };
    }
    return parsePrimary();
  };
  const parsePrimary = (): KueryNode => {
    const t = peek();
    if (!t) throw syntaxError(text, text.length);
    if (t.type === "lparen") {
      pos++;
      const inner = parseOr();
      if (peek()?.type !== "rparen") throw syntaxError(text, peek()?.at ?? text.length);
      pos++;
      return inner;
    }
    if (t.type !== "word") throw syntaxError(text, t.at);
    pos++;
    if (peek()?.type !== "colon") throw syntaxError(text, peek()?.at ?? text.length);
    pos++;
    const v = peek();
    if (!v || (v.type !== "word" && v.type !== "quoted")) throw syntaxError(text, v?.at ?? text.length);
    pos++;
    return { kind: "match", field: t.text, value: v.text, quoted: v.type === "quoted" };
  };

  const node = parseOr();
  if (pos < tokens.length) throw syntaxError(text, (tokens[pos] as Token).at);
  return node;
}

/** The fields a list route's kuery may name: the saved-object type and its mapped fields (dotted paths). */
export interface KueryMapping {
  type: string;
  fields: readonly string[];
  /** Flattened fields: any sub-path of them is mapped. */
  flattened?: readonly string[];
}

function fieldDefined(mapping: KueryMapping, key: string): boolean {
  const known = (k: string) =>
    k === "id" ||
    mapping.fields.some((f) => f === k || f.startsWith(`${k}.`)) ||
    (mapping.flattened ?? []).some((f) => k === f || k.startsWith(`${f}.`));
  const parts = key.split(".");
  // Fleet also accepts the key with its first segment dropped, as its own validator does.
  return known(key) || (parts.length > 2 && known(parts.slice(1).join(".")));
}

/** Fleet's strict KQL field check (hasFilterKeyError): a reason for each key the mapping does not know. */
function keyProblem(mapping: KueryMapping, key: string): string | undefined {
  if (!key.includes(".")) return fieldDefined(mapping, key) ? undefined : `This type '${key}' is not allowed`;
  const parts = key.split(".");
  const searchKey = parts.length === 2 && parts[0] === mapping.type ? (parts[1] as string) : key;
  return fieldDefined(mapping, searchKey)
    ? undefined
    : `This key '${key}' does NOT exist in ${mapping.type} saved object index patterns`;
}

/**
 * Parses and validates a list route's kuery as the route's query schema does; failures are 400 with the
 * config-schema prefix. Field names come back without the saved-object type prefix.
 */
export function validateKuery(text: string | undefined, mapping: KueryMapping): KueryNode | undefined {
  const refuse = (message: string) => boom.badRequest(`[request query.kuery]: ${message}`);
  let node: KueryNode | undefined;
  try {
    node = parseKuery(text ?? "");
  } catch (error) {
    if (error instanceof KuerySyntaxError) throw refuse(error.message);
    throw error;
  }
  const problems: string[] = [];
  const visit = (n: KueryNode): KueryNode => {
    if (n.kind === "match") {
      const problem = keyProblem(mapping, n.field);
      if (problem) problems.push(problem);
      const field = n.field.startsWith(`${mapping.type}.`) ? n.field.slice(mapping.type.length + 1) : n.field;
      return { ...n, field };
    }
    if (n.kind === "not") return { kind: "not", node: visit(n.node) };
    return { kind: n.kind, left: visit(n.left), right: visit(n.right) };
  };
  const normalised = node ? visit(node) : undefined;
  if (problems.length > 0) throw refuse(`KQLSyntaxError: ${problems.join("\n")}`);
  return normalised;
}

export type KueryValue = string | number | boolean;

/** Whether a record matches; `read` gives a field's values (several for fields inside arrays). */
export function evaluateKuery(node: KueryNode | undefined, read: (field: string) => KueryValue[]): boolean {
  if (!node) return true;
  switch (node.kind) {
    case "and":
      return evaluateKuery(node.left, read) && evaluateKuery(node.right, read);
    case "or":
      return evaluateKuery(node.left, read) || evaluateKuery(node.right, read);
    case "not":
      return !evaluateKuery(node.node, read);
    case "match": {
      const values = read(node.field).map(String);
      if (!node.quoted && node.value.includes("*")) {
        const re = new RegExp(
          `^${node.value
            .split("*")
            .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
            .join(".*")}$`,
        );
        return values.some((v) => re.test(v));
      }
      return values.includes(node.value);
    }
  }
}
