// Path-pattern routing shared by both listeners. Literal segments win over {params}; a path known under other
// methods yields the allowed list, so each server can answer 405 (ES) or 404 (Kibana) its own way.

export type RouteMatch<H> =
  | { kind: "found"; handler: H; params: Record<string, string> }
  | { kind: "wrong-method"; allowed: string[] }
  | { kind: "none" };

interface Route<H> {
  method: string;
  segments: string[];
  handler: H;
  literalCount: number;
}

export class Router<H> {
  private routes: Route<H>[] = [];

  add(method: string, pattern: string, handler: H): this {
    const segments = pattern.split("/").filter((s) => s !== "");
    this.routes.push({ method, segments, handler, literalCount: segments.filter((s) => !s.startsWith("{")).length });
    this.routes.sort((a, b) => b.literalCount - a.literalCount);
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
    if (seg.startsWith("{")) {
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
