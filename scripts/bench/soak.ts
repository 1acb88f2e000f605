// The soak (`npm run bench -- --faults`): stacks under the faults that make state lie if a provider guesses, and
// after each step the server counted against every stack's state (truth.ts). Scenarios:
// - mixed write faults: 429/503, resets and commit-then-fail on every write route (the N-resource stack);
// - two stacks creating keys with the same names at once, creates answered 503 after they committed;
// - five commit-then-fail answers in a row on each create route, then a clean re-run;
// - answers later than the create timeout (the server still carries the create out), then a clean re-run;
// - both servers unreachable for longer than the retry budget in the middle of an up, then a clean re-run.
// Goal: every count zero in every scenario, and destroy leaves no live key.
import type { Emulator, FaultRule } from "../../emulator";
import { createTestStack, type TestStack } from "../lib/stack";
import { mix, soakFaults, SOAK_MIX, type Goal } from "./figures";
import { ourProgram, type Subject } from "./program";
import { fmtMs, printGoals } from "./run";
import { countTruth, resourcesOf, type StoredResource, type Truth } from "./truth";

export interface SoakOptions {
  n: number;
  latencyMs: number;
}

const CREATE_ROUTES: Pick<FaultRule, "listener" | "method" | "path">[] = [
  { listener: "es", method: "POST", path: "^/_security/api_key$" },
  { listener: "es", method: "POST", path: "^/_security/cross_cluster/api_key$" },
  { listener: "kibana", method: "POST", path: "^/api/fleet/enrollment_api_keys$" },
];

interface Step {
  step: string;
  ok: boolean;
  ms: number;
  error?: string;
  truth: Truth;
}

interface Scenario {
  scenario: string;
  steps: Step[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Counts the truth over a scenario's stacks, remembering their state for the next count. */
function counter(emu: Emulator, stacks: TestStack[]) {
  const before = emu.admin.state();
  const preexisting = new Set([...before.apiKeys.map((k) => k.id), ...before.enrollmentKeys.map((k) => k.id)]);
  let previous: StoredResource[][] | undefined;
  return async (onlyCreatesRan = false): Promise<Truth> => {
    const now = await Promise.all(stacks.map(async (s) => resourcesOf(await s.exportText())));
    const truth = countTruth({ state: emu.admin.state(), stacks: now, preexisting, previous, onlyCreatesRan });
    previous = now;
    return truth;
  };
}

async function step(name: string, run: () => Promise<unknown>, count: () => Promise<Truth>): Promise<Step> {
  const started = Date.now();
  let error: string | undefined;
  try {
    await run();
  } catch (err) {
    error = (err instanceof Error ? err.message : String(err)).split("\n").filter((l) => /error:/.test(l))[0] ?? "";
  }
  return { step: name, ok: error === undefined, ms: Date.now() - started, error, truth: await count() };
}

/** Keys only (no roles: two stacks cannot share a role, by design), with names shared by every stack running it. */
function sameNamesProgram(sdk: Subject["sdk"], n: number, prefix: string) {
  return async () => {
    for (let i = 0; i < n; i++)
      if (i % 2) new sdk.ApmAgentKey(`agent-${i}`, { name: `${prefix}-agent-${i}`, privileges: ["event:write"] });
      else new sdk.CrossClusterApiKey(`cc-${i}`, { name: `${prefix}-cc-${i}`, access: { search: [{ names: "x" }] } });
    return {};
  };
}

export async function soak(
  opts: SoakOptions,
  emu: Emulator,
  env: Record<string, string>,
  policyId: string,
  at: Subject,
): Promise<{ scenarios: Scenario[]; goals: Goal[] }> {
  const scenarios: Scenario[] = [];
  const stack = (
    name: string,
    program: () => Promise<Record<string, unknown>>,
    extraEnv: Record<string, string> = {},
  ) =>
    createTestStack({
      program,
      env: { ...env, ...extraEnv },
      projectName: "bench-soak",
      stackName: `${name}-${Date.now().toString(36)}`,
      projectDir: at.projectDir,
    });
  const small = Math.max(8, Math.min(40, Math.round(opts.n / 5)));

  async function scenario(
    name: string,
    stacks: TestStack[],
    run: (count: (onlyCreatesRan?: boolean) => Promise<Truth>) => Promise<Step[]>,
  ): Promise<void> {
    try {
      const count = counter(emu, stacks);
      scenarios.push({ scenario: name, steps: await run(count) });
    } finally {
      emu.admin.clearFaults();
      for (const s of stacks) await s.cleanup();
    }
  }

  {
    const s = await stack("mixed", ourProgram(at.sdk, opts.n, policyId, "soak-mixed"));
    await scenario(`mixed write faults, N = ${opts.n}`, [s], async (count) => {
      emu.admin.setFaults(soakFaults());
      const up = await step("up", () => s.up(), count);
      const destroy = await step("destroy", () => s.destroy(), count);
      return [up, destroy];
    });
  }
  {
    const program = sameNamesProgram(at.sdk, small, "soak-twins");
    const [a, b] = [await stack("twin-a", program), await stack("twin-b", program)];
    await scenario(`two stacks, the same ${small} key names, at once`, [a, b], async (count) => {
      // Slow creates, a quarter of them answered 503 after they committed: the other stack's creates of the same
      // names land while those outcomes are unknown.
      emu.admin.setFaults(
        CREATE_ROUTES.flatMap((r) => [
          { ...r, kind: "latency" as const, latencyMs: 500 },
          { ...r, kind: "commit-then-fail" as const, status: 503, rate: 0.25 },
        ]),
      );
      const ups = await step(
        "both ups at once",
        () => Promise.all([a.up(), b.up()]),
        () => count(true),
      );
      emu.admin.clearFaults();
      const destroy = await step("both destroys", () => Promise.all([a.destroy(), b.destroy()]), count);
      return [ups, destroy];
    });
  }
  {
    // One resource of each kind, so the five failures in a row all hit the same create.
    const s = await stack("five-fails", ourProgram(at.sdk, 4, policyId, "soak-five"));
    await scenario("five commit-then-fail answers in a row on each create route", [s], async (count) => {
      emu.admin.setFaults(
        CREATE_ROUTES.map((r) => ({ ...r, kind: "commit-then-fail" as const, status: 503, count: 5 })),
      );
      const up = await step("up (fails)", () => s.up(), count);
      emu.admin.clearFaults();
      const again = await step("up again, healthy", () => s.up(), count);
      const destroy = await step("destroy", () => s.destroy(), count);
      return [up, again, destroy];
    });
  }
  {
    const s = await stack("late", ourProgram(at.sdk, small, policyId, "soak-late"), {
      ELASTIC_KEYS_HTTP_CREATE_TIMEOUT_MS: "1500",
    });
    await scenario("answers later than the create timeout", [s], async (count) => {
      emu.admin.setFaults(CREATE_ROUTES.map((r) => ({ ...r, kind: "latency" as const, latencyMs: 2_500, rate: 0.3 })));
      const up = await step("up (late answers)", () => s.up(), count);
      emu.admin.clearFaults();
      await sleep(3_000); // the server finishes what it was still doing
      const settled = await step("refresh", () => s.refresh(), count);
      const again = await step("up again, healthy", () => s.up(), count);
      const destroy = await step("destroy", () => s.destroy(), count);
      return [up, settled, again, destroy];
    });
  }
  {
    const budgetMs = 3_000;
    const s = await stack("outage", ourProgram(at.sdk, opts.n, policyId, "soak-outage"), {
      ELASTIC_KEYS_HTTP_BUDGET_MS: String(budgetMs),
    });
    await scenario(
      `both servers unreachable for longer than the ${budgetMs / 1000}s retry budget mid-up`,
      [s],
      async (count) => {
        emu.admin.clearRequests();
        const outage = (async () => {
          // Once a quarter of the creates went through, cut every connection on both listeners, then come back.
          while (emu.admin.requests().filter((r) => r.method === "POST").length < opts.n / 4) await sleep(50);
          emu.admin.setFaults([
            { listener: "es", path: ".*", kind: "reset", count: 1_000_000 },
            { listener: "kibana", path: ".*", kind: "reset", count: 1_000_000 },
          ]);
          await sleep(budgetMs + 3_000);
          emu.admin.clearFaults();
        })();
        const up = await step("up (outage)", () => s.up(), count);
        await outage;
        const again = await step("up again, healthy", () => s.up(), count);
        const destroy = await step("destroy", () => s.destroy(), count);
        return [up, again, destroy];
      },
    );
  }

  const bad = (t: Truth) => t.liveInNoState + t.inStateButDead + t.invalidatedOwnedByAnother + t.droppedWhileLive;
  const goals: Goal[] = scenarios.map((sc) => {
    const last = sc.steps[sc.steps.length - 1];
    const worst = sc.steps.filter((st) => bad(st.truth) > 0).map((st) => `${st.step}: ${JSON.stringify(st.truth)}`);
    return {
      goal: `${sc.scenario}: state tells the truth after every step, destroy leaves no live key`,
      met: worst.length === 0 && last.ok && last.truth.liveKeys === 0,
      detail: worst.length
        ? worst.join("; ")
        : `${sc.steps.map((st) => `${st.step} ${st.ok ? "ok" : "failed"}`).join(", ")}; ${last.truth.liveKeys} live keys left`,
    };
  });

  console.log(
    `\nSoak — latency ${opts.latencyMs} ms; mixed write faults ${JSON.stringify(SOAK_MIX)}; ${JSON.stringify(mix(opts.n))}`,
  );
  console.log(
    "  per step: live keys in no state | in state but dead | invalidated while another stack held them | dropped from state while live",
  );
  for (const sc of scenarios) {
    console.log(`  ${sc.scenario}`);
    for (const st of sc.steps) {
      const t = st.truth;
      console.log(
        `    ${st.step.padEnd(24)} ${st.ok ? "ok    " : "failed"} ${fmtMs(st.ms).padStart(9)}   ${t.liveInNoState} | ${t.inStateButDead} | ${t.invalidatedOwnedByAnother} | ${t.droppedWhileLive}   (${t.liveKeys} live keys, ${t.keyResourcesInState} key resources in state, ${t.unresolvedInState} unresolved)${st.error ? `  ${st.error.slice(0, 160)}` : ""}`,
      );
    }
  }
  printGoals(goals);
  return { scenarios, goals };
}
