// The growth curve (scripts/bench/curve-figure.ts): the fitted cost per added resource, and an SVG drawn from the
// curve's JSON alone — the committed docs/bench-curve.svg is exactly what the committed JSON draws.
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import {
  CURVE_OPS,
  CURVE_SIDES,
  curveSvg,
  fitLine,
  fits,
  maxInFlight,
  slopeTable,
  stepSlopes,
  type CurveResult,
} from "../../scripts/bench/curve-figure";

const DOCS = path.join(__dirname, "..", "..", "docs");

/** A run whose times are exact lines: side s, op o → base + slope × N. */
function synthetic(): CurveResult {
  const sizes = [25, 50, 100];
  const slope = { dynamic: 20, native: 13, floor: 15 };
  return {
    commit: "abc1234",
    started: "2026-01-01T00:00:00.000Z",
    node: "v22.0.0",
    cores: 2,
    latencyMs: 20,
    parallel: 8,
    sizes,
    points: sizes.flatMap((n) =>
      CURVE_SIDES.flatMap((side) =>
        CURVE_OPS.map((op, i) => ({ n, side, op, ms: 800 + 100 * i + slope[side] * n, load: 1.5 })),
      ),
    ),
  };
}

describe("bench growth curve", () => {
  test("the cost per added resource is the least-squares slope; the intercept is the fixed cost", () => {
    const line = fitLine([
      { x: 25, y: 1125 },
      { x: 50, y: 1450 },
      { x: 100, y: 2100 },
    ]);
    expect(line.slopeMs).toBeCloseTo(13, 9);
    expect(line.interceptMs).toBeCloseTo(800, 9);
    const f = fits(synthetic());
    expect(f.create.native.slopeMs).toBeCloseTo(13);
    expect(f.destroy.dynamic.interceptMs).toBeCloseTo(1100);
    expect(fitLine([{ x: 10, y: 5 }])).toEqual({ slopeMs: 0, interceptMs: 5 });
    // Growth faster than linear shows in the steps: 10 ms per resource from 25 to 50, 30 from 50 to 100.
    expect(
      stepSlopes([
        { x: 25, y: 1000 },
        { x: 50, y: 1250 },
        { x: 100, y: 2750 },
      ]),
    ).toEqual([
      { from: 25, to: 50, slopeMs: 10 },
      { from: 50, to: 100, slopeMs: 30 },
    ]);
    expect(slopeTable(synthetic())[2]).toBe(
      "| create | 20.0 ms (25→50: 20.0, 50→100: 20.0) | 13.0 ms (25→50: 13.0, 50→100: 13.0) | 15.0 ms (25→50: 15.0, 50→100: 15.0) |",
    );
  });

  test("requests in flight at once: overlaps counted, a request ending as another starts is not an overlap", () => {
    const r = (time: number, durationMs: number) => ({ time, durationMs });
    expect(maxInFlight([])).toBe(0);
    expect(maxInFlight([r(0, 10), r(5, 10), r(6, 1), r(15, 5)])).toBe(3);
    expect(maxInFlight([r(0, 10), r(10, 10), r(20, 10)])).toBe(1);
  });

  test("every point and slope in the SVG comes from the JSON", () => {
    const result = synthetic();
    const svg = curveSvg(result);
    const circles = [...svg.matchAll(/<circle data-side="(\w+)" data-op="(\w+)" data-n="(\d+)" data-ms="(\d+)"/g)];
    expect(circles).toHaveLength(result.points.length);
    for (const [, side, op, n, ms] of circles)
      expect(result.points.find((p) => p.side === side && p.op === op && p.n === Number(n))?.ms).toBe(Number(ms));
    expect(svg).toContain("native: 13.0 ms/resource, last step 13.0");
    expect(svg).toContain("load 1.5–1.5");
    // A different measurement draws a different figure.
    const changed = { ...result, points: result.points.map((p, i) => (i === 0 ? { ...p, ms: p.ms + 500 } : p)) };
    expect(curveSvg(changed)).not.toBe(svg);
  });

  test("the committed docs/bench-curve.svg is what docs/bench-curve.json draws", () => {
    const json = path.join(DOCS, "bench-curve.json");
    expect(existsSync(json), "docs/bench-curve.json is committed (npm run bench -- --curve writes it)").toBe(true);
    const result = JSON.parse(readFileSync(json, "utf8")) as CurveResult;
    expect(readFileSync(path.join(DOCS, "bench-curve.svg"), "utf8")).toBe(curveSvg(result));
  });
});
