// How `npm test` counts a run (scripts/lib/test-tally.ts), on fake runners: a runner's exit counts, not only its
// report — vitest exits 1 on an unhandled rejection while its JSON report says every test passed.
import { mkdtempSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { runLeg, summarize, type Leg } from "../../scripts/lib/test-tally";

const dir = mkdtempSync(path.join(os.tmpdir(), "pek-tally-"));
const cleanVitestReport = {
  success: true,
  numPassedTests: 12,
  numFailedTests: 0,
  numFailedTestSuites: 0,
  numPendingTests: 1,
  numTodoTests: 0,
};
const cleanTap = "TAP version 13\nok 1 - a\n# tests 3\n# pass 3\n# fail 0\n# cancelled 0\n# skipped 0\n# todo 0\n";

/** A leg whose runner writes `report` to its report file and then runs `end` (exits, or kills itself). */
function fakeLeg(format: Leg["report"]["format"], report: string | undefined, end: string): Leg {
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.${format}`);
  const write =
    report === undefined ? "" : `require("node:fs").writeFileSync(${JSON.stringify(file)}, ${JSON.stringify(report)});`;
  return {
    name: "fake",
    title: "fake runner",
    command: process.execPath,
    args: ["-e", `${write}${end}`],
    cwd: dir,
    env: process.env,
    report: { format, file },
  };
}

describe("a runner's exit is part of the tally", () => {
  it("vitest exiting 1 with a clean JSON report is a failed run, with the reason", () => {
    const tally = runLeg(fakeLeg("vitest-json", JSON.stringify(cleanVitestReport), "process.exit(1)"));
    expect(tally).toMatchObject({ passed: 12, failed: 1, skipped: 1 });
    expect(tally.problems).toEqual([
      "vitest exited 1 although its report says 0 failed: an unhandled rejection or an error outside any test?",
    ]);
    expect(summarize([tally]).exitCode).toBe(1);
  });

  it("an engine leg (node --test) exiting 1 with a clean TAP report is a failed run", () => {
    const tally = runLeg(fakeLeg("tap", cleanTap, "process.exit(1)"));
    expect(tally).toMatchObject({ passed: 3, failed: 1 });
    expect(tally.problems[0]).toMatch(/^node --test exited 1 although its report says 0 failed/);
  });

  it("a runner killed by a signal is a failed run, naming the signal", () => {
    const tally = runLeg(fakeLeg("tap", cleanTap, 'process.kill(process.pid, "SIGKILL")'));
    expect(tally.failed).toBe(1);
    expect(tally.problems).toEqual(["node --test was killed by SIGKILL"]);
  });

  it("a runner that writes no report is a failed run", () => {
    const tally = runLeg(fakeLeg("vitest-json", undefined, "process.exit(0)"));
    expect(tally.failed).toBe(1);
    expect(tally.problems[0]).toMatch(/^vitest wrote no report/);
  });

  it("an exit that the report's failures explain adds no failure; a clean exit and report pass", () => {
    const failing = { ...cleanVitestReport, success: false, numFailedTests: 2 };
    const failed = runLeg(fakeLeg("vitest-json", JSON.stringify(failing), "process.exit(1)"));
    expect(failed).toMatchObject({ failed: 2, problems: [] });
    const clean = runLeg(fakeLeg("vitest-json", JSON.stringify(cleanVitestReport), "process.exit(0)"));
    expect(clean).toMatchObject({ passed: 12, failed: 0, problems: [] });
    const { lines, exitCode } = summarize([clean, failed]);
    expect(exitCode).toBe(1);
    expect(lines.at(-1)).toBe("total: 24 passed, 2 failed, 2 skipped");
    expect(summarize([clean]).exitCode).toBe(0);
  });

  it("the summary prints why a failure was counted that no test reported", () => {
    const tally = runLeg(fakeLeg("vitest-json", JSON.stringify(cleanVitestReport), "process.exit(1)"));
    expect(summarize([tally]).lines).toContain(
      "  counted as failed: vitest exited 1 although its report says 0 failed: an unhandled rejection or an error outside any test?",
    );
  });
});
