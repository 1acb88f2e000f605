// The growth curve's pure pieces (`npm run bench -- --curve`): the JSON the curve run writes, the cost per added
// resource fitted to it (least squares), and the SVG drawn from that JSON alone — so the figure in docs/ carries no
// number the run did not measure (test/unit/bench-curve.test.ts redraws the committed SVG from the committed JSON).

export const CURVE_OPS = ["create", "preview", "refresh", "destroy"] as const;
export type CurveOp = (typeof CURVE_OPS)[number];
export const CURVE_SIDES = ["dynamic", "native", "floor"] as const;
export type CurveSide = (typeof CURVE_SIDES)[number];

export interface CurvePoint {
  n: number;
  side: CurveSide;
  op: CurveOp;
  /** The Automation API call, start to return (what a program using it waits). */
  ms: number;
  /** The operation's own CLI command in it (`pulumi up`…), without Automation's `stack output`/`history` calls. */
  cliMs?: number;
  /** 1-minute load average when the operation started (os.loadavg; over several rounds the highest). */
  load: number;
  /** Every round's `ms` when the point is the median of several. */
  runs?: number[];
  /** Requests the emulator served, the most it had in flight at once, and the connections it accepted. */
  requests?: number;
  maxInFlight?: number;
  connections?: number;
}

export interface CurveResult {
  commit: string;
  started: string;
  node: string;
  cores: number;
  latencyMs: number;
  /** The engine's --parallel for every operation. */
  parallel: number;
  sizes: number[];
  points: CurvePoint[];
  /** Mean bytes per resource in `pulumi stack export` after create, by side and N. */
  stateBytes?: Partial<Record<CurveSide, Record<string, number>>>;
}

export interface Fit {
  /** Milliseconds per added resource. */
  slopeMs: number;
  /** Milliseconds at N = 0: the fixed cost of the operation. */
  interceptMs: number;
}

/** Least-squares line through (x, y); a single point has slope 0. */
export function fitLine(points: { x: number; y: number }[]): Fit {
  const n = points.length;
  if (n === 0) return { slopeMs: 0, interceptMs: 0 };
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const sxx = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  const sxy = points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0);
  const slopeMs = sxx === 0 ? 0 : sxy / sxx;
  return { slopeMs, interceptMs: my - slopeMs * mx };
}

/** Which time: the Automation API call (`ms`) or the operation's own CLI command in it (`cliMs`). */
export type Timing = "ms" | "cliMs";

/** The points of one side and operation, by N. */
export function series(
  result: CurveResult,
  side: CurveSide,
  op: CurveOp,
  timing: Timing = "ms",
): { x: number; y: number }[] {
  return result.points
    .filter((p) => p.side === side && p.op === op && p[timing] !== undefined)
    .map((p) => ({ x: p.n, y: p[timing]! }))
    .sort((a, b) => a.x - b.x);
}

export function fits(result: CurveResult, timing: Timing = "ms"): Record<CurveOp, Record<CurveSide, Fit>> {
  return Object.fromEntries(
    CURVE_OPS.map((op) => [
      op,
      Object.fromEntries(CURVE_SIDES.map((s) => [s, fitLine(series(result, s, op, timing))])),
    ]),
  ) as Record<CurveOp, Record<CurveSide, Fit>>;
}

/** The most requests in flight at once, from each request's start and duration (ends before starts at a tie). */
export function maxInFlight(log: readonly { time: number; durationMs: number }[]): number {
  const edges = log.flatMap((e) => [
    [e.time, 1],
    [e.time + e.durationMs, -1],
  ]);
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let most = 0;
  for (const [, d] of edges) most = Math.max(most, (now += d));
  return most;
}

/**
 * Cost per added resource between consecutive sizes, ms: the engine rewrites the whole checkpoint after every step,
 * so create and destroy grow faster than linearly and the last step costs more per resource than the first.
 */
export function stepSlopes(points: { x: number; y: number }[]): { from: number; to: number; slopeMs: number }[] {
  return points.slice(1).map((p, i) => ({
    from: points[i].x,
    to: p.x,
    slopeMs: p.x === points[i].x ? 0 : (p.y - points[i].y) / (p.x - points[i].x),
  }));
}

/** The load averages the run saw, as `min–max`. */
export function loadRange(result: CurveResult): string {
  const loads = result.points.map((p) => p.load);
  if (!loads.length) return "n/a";
  return `${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`;
}

/** One markdown row per operation: the fitted cost per added resource and fixed cost of each side. */
/**
 * One markdown row per operation, per side: the least-squares cost per added resource over all sizes, then the cost
 * per added resource of the first and of the last step (`25→50`, `200→400`).
 */
export function slopeTable(result: CurveResult, timing: Timing = "ms"): string[] {
  const f = fits(result, timing);
  const cell = (op: CurveOp, side: CurveSide) => {
    const steps = stepSlopes(series(result, side, op, timing));
    const ends = steps.length > 1 ? [steps[0], steps[steps.length - 1]] : steps;
    const stepText = ends.map((st) => `${st.from}→${st.to}: ${st.slopeMs.toFixed(1)}`).join(", ");
    return `${f[op][side].slopeMs.toFixed(1)} ms${stepText ? ` (${stepText})` : ""}`;
  };
  return [
    `| operation | ${CURVE_SIDES.join(" | ")} |`,
    `| --- | ${CURVE_SIDES.map(() => "---").join(" | ")} |`,
    ...CURVE_OPS.map((op) => `| ${op} | ${CURVE_SIDES.map((s) => cell(op, s)).join(" | ")} |`),
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// The SVG: one panel per operation, seconds against N, one line per side with its fitted slope in the legend.

const COLOURS: Record<CurveSide, string> = { dynamic: "#d95f02", native: "#1b9e77", floor: "#7570b3" };
const PANEL = { w: 300, h: 220, left: 48, right: 12, top: 28, bottom: 36 };

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
/** Numbers in the SVG: two decimals at most, so the same JSON always draws the same bytes. */
const num = (x: number) => String(Math.round(x * 100) / 100);

/** A "nice" axis maximum at or above `x`. */
function niceMax(x: number): number {
  if (x <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((m) => m >= x)!;
}

function panel(result: CurveResult, op: CurveOp, ox: number, oy: number): string[] {
  const f = fits(result)[op];
  const sizes = [...result.sizes].sort((a, b) => a - b);
  const xMax = niceMax(Math.max(...sizes, 1));
  const yMax = niceMax(Math.max(...result.points.filter((p) => p.op === op).map((p) => p.ms / 1000), 1e-3));
  const iw = PANEL.w - PANEL.left - PANEL.right;
  const ih = PANEL.h - PANEL.top - PANEL.bottom;
  const X = (n: number) => ox + PANEL.left + (n / xMax) * iw;
  const Y = (s: number) => oy + PANEL.top + ih - (s / yMax) * ih;
  const out: string[] = [];
  out.push(
    `<text x="${num(ox + PANEL.w / 2)}" y="${num(oy + 16)}" text-anchor="middle" font-weight="bold">${op}</text>`,
  );
  out.push(
    `<path d="M${num(X(0))} ${num(Y(0))}H${num(X(xMax))}M${num(X(0))} ${num(Y(0))}V${num(Y(yMax))}" stroke="#444" fill="none"/>`,
  );
  for (const t of [0, 0.5, 1].map((k) => k * yMax))
    out.push(`<text x="${num(X(0) - 4)}" y="${num(Y(t) + 4)}" text-anchor="end">${num(t)}</text>`);
  // A size's label only where it does not run into the previous one (25 and 50 sit close on a 0–500 axis).
  let lastLabel = Number.NEGATIVE_INFINITY;
  for (const n of sizes)
    if (X(n) - lastLabel >= 20) {
      out.push(`<text x="${num(X(n))}" y="${num(Y(0) + 14)}" text-anchor="middle">${n}</text>`);
      lastLabel = X(n);
    }
  out.push(`<text x="${num(X(xMax / 2))}" y="${num(Y(0) + 28)}" text-anchor="middle">N resources</text>`);
  out.push(
    `<text x="${num(ox + 10)}" y="${num(Y(yMax / 2))}" transform="rotate(-90 ${num(ox + 10)} ${num(Y(yMax / 2))})" text-anchor="middle">s</text>`,
  );
  CURVE_SIDES.forEach((side, i) => {
    const pts = series(result, side, op);
    if (!pts.length) return;
    const c = COLOURS[side];
    out.push(
      `<polyline data-side="${side}" data-op="${op}" points="${pts.map((p) => `${num(X(p.x))},${num(Y(p.y / 1000))}`).join(" ")}" fill="none" stroke="${c}" stroke-width="1.5"/>`,
    );
    for (const p of pts)
      out.push(
        `<circle data-side="${side}" data-op="${op}" data-n="${p.x}" data-ms="${Math.round(p.y)}" cx="${num(X(p.x))}" cy="${num(Y(p.y / 1000))}" r="2.5" fill="${c}"/>`,
      );
    const steps = stepSlopes(pts);
    const last = steps.length ? `, last step ${steps[steps.length - 1].slopeMs.toFixed(1)}` : "";
    out.push(
      `<text x="${num(X(0) + 6)}" y="${num(oy + PANEL.top + 4 + i * 13)}" fill="${c}">${side}: ${f[side].slopeMs.toFixed(1)} ms/resource${last}</text>`,
    );
  });
  return out;
}

/** The whole figure, from the curve JSON alone. */
export function curveSvg(result: CurveResult): string {
  const cols = 2;
  const width = PANEL.w * cols;
  const height = PANEL.h * Math.ceil(CURVE_OPS.length / cols) + 40;
  const body = CURVE_OPS.flatMap((op, i) => panel(result, op, (i % cols) * PANEL.w, Math.floor(i / cols) * PANEL.h));
  const caption = `commit ${result.commit}, ${result.started.slice(0, 10)}, Node ${result.node}, ${result.cores} cores, load ${loadRange(result)}, latency ${result.latencyMs} ms, --parallel ${result.parallel}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    ...body,
    `<text x="${width / 2}" y="${height - 14}" text-anchor="middle" fill="#444">${esc(caption)}</text>`,
    `</svg>`,
    "",
  ].join("\n");
}
