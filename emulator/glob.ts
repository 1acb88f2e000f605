// ES-style wildcard patterns ("*" and "?") over names, resources and actions.
const cache = new Map<string, RegExp>();

export function globMatch(pattern: string, value: string): boolean {
  if (pattern === "*") return true;
  if (!pattern.includes("*") && !pattern.includes("?")) return pattern === value;
  let re = cache.get(pattern);
  if (!re) {
    const source = pattern
      .split("")
      .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\/]/g, "\\$&")))
      .join("");
    re = new RegExp(`^${source}$`, "s");
    cache.set(pattern, re);
  }
  return re.test(value);
}
