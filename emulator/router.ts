// Path-pattern routing shared by both listeners. As in Elasticsearch's PathTrie (and hapi), a literal segment wins
// over a {param} at the same position, comparing from the left: `/_security/user/_privileges` is never taken for
// `/_security/user/{name}`. A path whose literal route lacks the method falls through to a {param} route that has
// it, as RestController does; a path known only under other methods yields the allowed list, so each server can
// answer 405 (ES) or 404 (Kibana) its own way.

export type RouteMatch<H> =
  | { kind: "found"; handler: H; params: Record<string, string> }
  | { kind: "wrong-method"; allowed: string[] }
  | { kind: "none" };

interface Route<H> {
  method: string;
  segments: string[];
  handler: H;
}

const isParam = (segment: string): boolean => segment.startsWith("{");

/**
 * Negative when `a` must be tried before `b`: at the first position where they differ in kind, the literal. Patterns
 * of different lengths never match the same path; ordering them by length keeps the order total.
 */
function precedence(a: string[], b: string[]): number {
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) {
    const diff = Number(isParam(a[i] as string)) - Number(isParam(b[i] as string));
    if (diff !== 0) return diff;
  }
  return 0;
}

export class Router<H> {
  private routes: Route<H>[] = [];

  add(method: string, pattern: string, handler: H): this {
    const segments = pattern.split("/").filter((s) => s !== "");
    this.routes.push({ method, segments, handler });
    this.routes.sort((a, b) => precedence(a.segments, b.segments));
    return this;
  }

  /** `available` leaves out routes the emulated version does not serve. */
  match(method: string, path: string, available: (handler: H) => boolean = () => true): RouteMatch<H> {
    const parts = path.split("/").filter((s) => s !== "");
    const allowed: string[] = [];
    for (const route of this.routes) {
      if (!available(route.handler)) continue;
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      if (route.method === method) return { kind: "found", handler: route.handler, params };
      if (!allowed.includes(route.method)) allowed.push(route.method);
    }
    return allowed.length > 0 ? { kind: "wrong-method", allowed } : { kind: "none" };
  }
}

function matchSegments(segments: string[], parts: string[]): Record<string, string> | undefined {
  if (segments.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i] as string;
    const part = parts[i] as string;
    if (isParam(seg)) {
      try {
        params[seg.slice(1, -1)] = decodeURIComponent(part);
      } catch {
        return undefined;
      }
    } else if (seg !== part) {
      return undefined;
    }
  }
  return params;
}
