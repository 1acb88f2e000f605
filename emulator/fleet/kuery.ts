// The KQL subset Fleet's enrollment-key list accepts (reference B.3): `field:value` or `field:"value"`, fields
// bare or prefixed with the saved-object type, joined with and/or, grouped with parentheses, negated with not.
// Unknown fields and bad syntax are 400s.
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

function syntaxError(text: string, at: number): Error {
  const found = at >= text.length ? "end of input" : `"${text[at]}"`;
  return boom.badRequest(
    `KQLSyntaxError: Expected "(", NOT, field name, value but ${found} found.\n${text}\n${"-".repeat(at)}^`,
  );
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

/** Checks every field against the saved-object type's mapping; the prefix `<type>.` is optional. */
export function validateKueryFields(
  node: KueryNode | undefined,
  type: string,
  fields: readonly string[],
): KueryNode | undefined {
  const visit = (n: KueryNode): KueryNode => {
    if (n.kind === "match") {
      const field = n.field.startsWith(`${type}.`) ? n.field.slice(type.length + 1) : n.field;
      if (!fields.includes(field))
        throw boom.badRequest(`This key '${n.field}' does NOT exist in ${type} saved object index patterns`);
      return { ...n, field };
    }
    if (n.kind === "not") return { kind: "not", node: visit(n.node) };
    return { kind: n.kind, left: visit(n.left), right: visit(n.right) };
  };
  return node ? visit(node) : undefined;
}

export function evaluateKuery(
  node: KueryNode | undefined,
  read: (field: string) => string | boolean | undefined,
): boolean {
  if (!node) return true;
  switch (node.kind) {
    case "and":
      return evaluateKuery(node.left, read) && evaluateKuery(node.right, read);
    case "or":
      return evaluateKuery(node.left, read) || evaluateKuery(node.right, read);
    case "not":
      return !evaluateKuery(node.node, read);
    case "match": {
      const actual = read(node.field);
      if (actual === undefined) return false;
      const text = String(actual);
      if (!node.quoted && node.value.includes("*")) {
        const re = new RegExp(
          `^${node.value
            .split("*")
            .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
            .join(".*")}$`,
        );
        return re.test(text);
      }
      return text === node.value;
    }
  }
}
