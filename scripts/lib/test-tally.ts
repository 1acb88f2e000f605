// How `npm test` (scripts/run-tests.mjs) counts a run: each leg is one runner process (vitest, a node --test engine
// leg, …) with the report it writes. A leg's failures are what its report counts, and also its exit: a runner that
// exits non-zero or is killed has failed even when its report says nothing failed (vitest exits 1 on an unhandled
// rejection while its JSON report says `success: true`), so the run fails, with the reason printed.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";

/** One runner process of the run. */
export interface Leg {
  /** The name in the summary, e.g. "engine (Node v24.1.0)". */
  name: string;
  /** The heading printed before it runs. */
  title: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The machine-readable report the runner writes (its args must say so): vitest's JSON, or node --test's TAP. */
  report: { format: "vitest-json" | "tap"; file: string };
}

export interface Tally {
  name: string;
  passed: number;
  failed: number;
  skipped: number;
  /** Why failures were counted that no test reported (the runner's exit, a missing report). */
  problems: string[];
  seconds: number;
}

/** How a runner process ended: its exit status, or the signal that ended it, or why it could not start. */
export interface RunnerExit {
  status: number | null;
  signal: NodeJS.Signals | null;
  error?: Error;
}

/** What vitest's JSON reporter writes that the tally needs. */
interface VitestReport {
  success: boolean;
  numPassedTests: number;
  numFailedTests: number;
  numFailedTestSuites: number;
  numPendingTests: number;
  numTodoTests: number;
}

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

function vitestCounts(text: string): Counts {
  const v = JSON.parse(text) as VitestReport;
  return {
    passed: v.numPassedTests,
    // A file that fails to load fails a suite, not a test.
    failed: v.numFailedTests + (v.success ? 0 : v.numFailedTestSuites),
    skipped: v.numPendingTests + v.numTodoTests,
  };
}

function tapCounts(text: string): Counts {
  const count = (name: string) => Number(text.match(new RegExp(`^# ${name} (\\d+)`, "m"))?.[1] ?? 0);
  return {
    passed: count("pass"),
    failed: count("fail") + count("cancelled"),
    skipped: count("skipped") + count("todo"),
  };
}

/** Why a runner's exit is a failure, or undefined when it exited 0. */
export function exitProblem(runner: string, exit: RunnerExit, reportedFailures: number): string | undefined {
  if (exit.error) return `${runner} could not be started: ${exit.error.message}`;
  if (exit.signal) return `${runner} was killed by ${exit.signal}`;
  if (exit.status === 0) return undefined;
  if (reportedFailures > 0) return undefined; // the exit is explained by the failures its report counts
  return `${runner} exited ${exit.status} although its report says 0 failed: an unhandled rejection or an error outside any test?`;
}

/** The tally of one leg from its report's text (undefined when it wrote none) and how its process ended. */
export function tallyLeg(
  leg: Pick<Leg, "name" | "report">,
  reportText: string | undefined,
  exit: RunnerExit,
  seconds: number,
): Tally {
  const runner = leg.report.format === "vitest-json" ? "vitest" : "node --test";
  const problems: string[] = [];
  let counts: Counts = { passed: 0, failed: 0, skipped: 0 };
  if (reportText === undefined) {
    problems.push(`${runner} wrote no report (${leg.report.file})`);
  } else {
    try {
      counts = leg.report.format === "vitest-json" ? vitestCounts(reportText) : tapCounts(reportText);
    } catch (err) {
      problems.push(`${runner}'s report cannot be read (${leg.report.file}): ${(err as Error).message}`);
    }
  }
  // Each problem is one failure more than the report counts: a failed exit its failures explain is none.
  const fromExit = exitProblem(runner, exit, counts.failed);
  if (fromExit) problems.push(fromExit);
  return { name: leg.name, ...counts, failed: counts.failed + problems.length, problems, seconds };
}

/** Runs one leg (its output goes to ours) and tallies it. */
export function runLeg(leg: Leg): Tally {
  const started = Date.now();
  rmSync(leg.report.file, { force: true }); // a report left by an earlier run must not count for this one
  const run = spawnSync(leg.command, leg.args, { cwd: leg.cwd, env: leg.env, stdio: "inherit" });
  const reportText = existsSync(leg.report.file) ? readFileSync(leg.report.file, "utf8") : undefined;
  const exit: RunnerExit = { status: run.status, signal: run.signal, ...(run.error ? { error: run.error } : {}) };
  return tallyLeg(leg, reportText, exit, Math.round((Date.now() - started) / 1000));
}

/** The summary lines and the run's exit code: 1 if anything failed, or if nothing passed at all. */
export function summarize(tallies: Tally[]): { lines: string[]; exitCode: number } {
  const total = tallies.reduce(
    (a, t) => ({ passed: a.passed + t.passed, failed: a.failed + t.failed, skipped: a.skipped + t.skipped }),
    { passed: 0, failed: 0, skipped: 0 },
  );
  const lines: string[] = [];
  for (const t of tallies) {
    lines.push(
      `${`${t.name}:`.padEnd(52)} ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped (${t.seconds} s)`,
    );
    for (const p of t.problems) lines.push(`  counted as failed: ${p}`);
  }
  lines.push(`total: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  return { lines, exitCode: total.failed > 0 || total.passed === 0 ? 1 : 0 };
}
