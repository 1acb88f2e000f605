// The soak through the native plugin (`npm run bench -- --faults`, after the dynamic soak in soak.ts): YAML programs on
// the real CLI, as a user types them, against two clusters (two emulators), under the faults that make state lie if
// a provider guesses. Scenarios:
// - answers that prove nothing after the server committed, on every create route (keys, Fleet, roles): 500s, and
//   answers a proxy garbled (product header dropped, an HTML page, fields' types changed, another status); then a
//   clean re-run;
// - the plugin process killed with SIGKILL in the middle of an up whose creates are slow, then a clean re-run;
// - every resource moved from provider a (cluster A) to provider b (cluster B) while B answers creates with 500s after
//   committing, then moved back.
// After every step both clusters are counted against the state (truth.ts: keys and marked roles, each cluster against
// the resources whose provider points at it; a create journal's marks count as held), someone else's objects on
// each cluster are compared with what they were, and everything the CLI printed, the stack export and the journal
// are searched for key secrets (a secret the emulator issued, or the base64 of `<key id>:` that starts an encoded key
// or an enrollment token). Goal: every count zero, and destroy leaves nothing live on either cluster.
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { startEmulator, type Emulator, type FaultRule } from "../../emulator";
import { GARBLES } from "../../emulator/garble";
import { createAgentPolicy, emulatorKibana } from "../lib/agent-policy";
import { journalDir } from "../../provider/framework/create-journal";
import { createCliProject, type CliProject } from "../lib/cli-project";
import { killTreeHard } from "../lib/processes";
import { KINDS, type Goal } from "./figures";
import { sampleOf } from "./program";
import { fmtMs, printGoals } from "./run";
import { countTruth, resourcesOf, type StoredResource, type Truth } from "./truth";

export interface NativeSoakOptions {
  n: number;
  latencyMs: number;
  pluginDir: string;
}

/** Every route that creates something, with the role's PUT (a role create is a PUT of a new name). */
export const NATIVE_CREATE_ROUTES: Pick<FaultRule, "listener" | "method" | "path">[] = [
  { listener: "es", method: "POST", path: "^/_security/api_key$" },
  { listener: "es", method: "POST", path: "^/_security/cross_cluster/api_key$" },
  { listener: "kibana", method: "POST", path: "^/api/fleet/enrollment_api_keys$" },
  { listener: "es", method: "PUT", path: "^/_security/role/[^/]+$" },
];

const POLICY = "soak-native-policy";

interface Cluster {
  label: "A" | "B";
  emu: Emulator;
  call(service: "es" | "kibana", method: string, path: string, body?: unknown): Promise<unknown>;
  /** Someone else's objects, as they were when made. */
  foreign: () => Promise<string>;
}

async function clusterOf(label: "A" | "B", emu: Emulator): Promise<Cluster> {
  const auth = `Basic ${Buffer.from(`${emu.superuser.username}:${emu.superuser.password}`).toString("base64")}`;
  const call = async (service: "es" | "kibana", method: string, p: string, body?: unknown) => {
    const res = await fetch((service === "es" ? emu.esUrl : emu.kibanaUrl) + p, {
      method,
      headers: { authorization: auth, "content-type": "application/json", "kbn-xsrf": "soak" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${label}: ${method} ${p} answered ${res.status}`);
    return text ? (JSON.parse(text) as unknown) : undefined;
  };
  await createAgentPolicy(emulatorKibana(emu), POLICY, { id: POLICY });
  // Someone else's role, API key and enrollment key, named as none of ours: never to be read into state, written or
  // deleted by the provider, whatever cluster its resources are moved to.
  await call("es", "PUT", "/_security/role/someone-elses-role", { cluster: ["monitor"], metadata: { owner: "ops" } });
  await call("es", "POST", "/_security/api_key", { name: "someone-elses-key", metadata: { owner: "ops" } });
  await call("kibana", "POST", "/api/fleet/enrollment_api_keys", { policy_id: POLICY, name: "someone-elses-token" });
  const foreign = async () => {
    const s = emu.admin.state();
    return JSON.stringify({
      role: s.roles.find((r) => r.name === "someone-elses-role")?.descriptor,
      keys: s.apiKeys.filter((k) => k.name === "someone-elses-key").map((k) => [k.id, k.invalidated, k.metadata]),
      tokens: s.enrollmentKeys.filter((k) => k.name.startsWith("someone-elses-token")).map((k) => [k.id, k.active]),
    });
  };
  return { label, emu, call, foreign };
}

/** A YAML program: providers a and b (one per cluster), N resources of the four kinds on `on`. */
function program(a: Cluster, b: Cluster, n: number, prefix: string, on: "a" | "b", pluginDir: string): string {
  const provider = (name: string, c: Cluster) =>
    `  ${name}:\n    type: pulumi:providers:elastic\n    properties:\n      elasticsearchEndpoints: ${c.emu.esUrl}\n      kibanaEndpoint: ${c.emu.kibanaUrl}\n      elasticsearchUsername: ${c.emu.superuser.username}\n      elasticsearchPassword: \${p${name}}\n`;
  const opts = `    options:\n      provider: \${${on}}\n`;
  const resources: string[] = [];
  for (let i = 0; i < n; i++) {
    const kind = KINDS[i % KINDS.length];
    // JSON is YAML: each sample's properties as one flow mapping.
    const props = JSON.stringify(sampleOf(kind, prefix, i, POLICY));
    resources.push(`  r${i}:\n    type: elastic:index:${kind}\n    properties: ${props}\n${opts}`);
  }
  return [
    `name: soak-native\nruntime: yaml\nplugins:\n  providers:\n    - name: elastic\n      path: ${pluginDir}\n`,
    `config:\n  pa:\n    type: string\n    secret: true\n  pb:\n    type: string\n    secret: true\n`,
    `resources:\n${provider("a", a)}${provider("b", b)}${resources.join("")}`,
  ].join("");
}

/** The resources of an export whose provider points at the cluster (its URL among the provider's endpoints). */
export function resourcesOn(resources: StoredResource[], esUrl: string): StoredResource[] {
  const providers = new Map(
    resources
      .filter((r) => r.type.startsWith("pulumi:providers:"))
      .map((p) => [
        `${p.urn}::${p.id}`,
        String(p.inputs?.elasticsearchEndpoints ?? "")
          .split(",")
          .some((u) => u.trim() === esUrl),
      ]),
  );
  return resources.filter((r) => r.provider !== undefined && providers.get(r.provider) === true);
}

/** Key secrets in a text: any secret the clusters issued, or the base64 of `<key id>:` (an encoded key, a token). */
export function secretsIn(text: string, clusters: { emu: Pick<Emulator, "admin"> }[]): string[] {
  const found: string[] = [];
  for (const c of clusters) {
    for (const k of c.emu.admin.state().apiKeys) {
      const prefix = Buffer.from(`${k.id}:`).toString("base64").replace(/=+$/, "");
      if (text.includes(prefix)) found.push(`encoded form of key ${k.id}`);
    }
    for (const candidate of new Set(text.match(/(?<![\w-])[\w-]{16,64}(?![\w-])/g) ?? []))
      if (c.emu.admin.isIssuedSecret(candidate)) found.push(`the secret of a key (${candidate.length} chars)`);
  }
  return found;
}

interface Step {
  step: string;
  ok: boolean;
  ms: number;
  error?: string;
  truth: Record<"A" | "B", Truth>;
  foreignTouched: number;
  secrets: string[];
  journal: number;
  /** Why the step proves nothing (e.g. the plugin had ended before the kill came): a failed goal. */
  invalid?: string;
}

interface Scenario {
  scenario: string;
  steps: Step[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What the project's create journal holds: the marks, and the Fleet names (`<policy id>/<name>`) of its creates. */
function journalOf(p: CliProject): { marks: Set<string>; fleetNames: Set<string> } {
  const dir = journalDir({ PULUMI_HOME: p.home });
  const marks = new Set<string>();
  const fleetNames = new Set<string>();
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith(".json"));
  } catch {
    // no journal yet
  }
  for (const f of files) {
    const entry = JSON.parse(readFileSync(path.join(dir, f), "utf8")) as {
      mark: string;
      type: string;
      outs: Record<string, unknown>;
    };
    marks.add(entry.mark);
    if (entry.type === "EnrollmentApiKey") fleetNames.add(`${String(entry.outs.policyId)}/${String(entry.outs.name)}`);
  }
  return { marks, fleetNames };
}

function journalText(p: CliProject): string {
  const dir = journalDir({ PULUMI_HOME: p.home });
  try {
    return readdirSync(dir)
      .map((f) => readFileSync(path.join(dir, f), "utf8"))
      .join("\n");
  } catch {
    return "";
  }
}

export async function soakNative(
  opts: NativeSoakOptions,
  emuA: Emulator,
): Promise<{ scenarios: Scenario[]; goals: Goal[] }> {
  const emuB = await startEmulator({ superuserPassword: `soak-b-${Math.random().toString(36).slice(2)}` });
  emuB.admin.setLatency(opts.latencyMs);
  const scenarios: Scenario[] = [];
  try {
    const A = await clusterOf("A", emuA);
    const B = await clusterOf("B", emuB);
    const clusters = [A, B];
    const foreignBefore = await Promise.all(clusters.map((c) => c.foreign()));
    const small = Math.max(8, Math.min(40, Math.round(opts.n / 5)));

    async function scenario(
      name: string,
      n: number,
      prefix: string,
      run: (p: CliProject, step: (label: string, args: string[], on?: "a" | "b") => Promise<Step>) => Promise<void>,
    ): Promise<void> {
      const steps: Step[] = [];
      const p = await createCliProject({ programYaml: program(A, B, n, prefix, "a", opts.pluginDir) });
      const preexisting = new Set(
        clusters.flatMap((c) => {
          const s = c.emu.admin.state();
          return [...s.apiKeys.map((k) => k.id), ...s.enrollmentKeys.map((k) => k.id)];
        }),
      );
      let previous: Record<"A" | "B", StoredResource[]> | undefined;
      const count = async (label: string, started: number, error?: string): Promise<Step> => {
        const exported = (await p.pulumi(["stack", "export"])).stdout;
        const all = resourcesOf(exported);
        const journal = journalOf(p);
        const truth = {} as Record<"A" | "B", Truth>;
        const now = {} as Record<"A" | "B", StoredResource[]>;
        for (const c of clusters) {
          now[c.label] = resourcesOn(all, c.emu.esUrl);
          truth[c.label] = countTruth({
            state: c.emu.admin.state(),
            stacks: [now[c.label]],
            preexisting,
            previous: previous && [previous[c.label]],
            journalMarks: journal.marks,
            journalFleetNames: journal.fleetNames,
          });
        }
        previous = now;
        const foreignNow = await Promise.all(clusters.map((c) => c.foreign()));
        const st: Step = {
          step: label,
          ok: error === undefined,
          ms: Date.now() - started,
          error,
          truth,
          foreignTouched: foreignNow.filter((f, i) => f !== foreignBefore[i]).length,
          secrets: secretsIn(`${p.transcript()}\n${exported}\n${journalText(p)}`, clusters),
          journal: journal.marks.size,
        };
        steps.push(st);
        return st;
      };
      const step = async (label: string, args: string[], on?: "a" | "b") => {
        if (on) p.writeProgram(program(A, B, n, prefix, on, opts.pluginDir));
        const started = Date.now();
        let error: string | undefined;
        try {
          await p.pulumi(args);
        } catch (err) {
          error = ((err as Error).message.match(/error: .*/g) ?? ["failed"])[0];
        }
        return count(label, started, error);
      };
      try {
        await p.pulumi(["stack", "init", "soak"]);
        await p.pulumi(["config", "set", "--secret", "pa", emuA.superuser.password]);
        await p.pulumi(["config", "set", "--secret", "pb", emuB.superuser.password]);
        await run(p, step);
      } finally {
        for (const c of clusters) c.emu.admin.clearFaults();
        scenarios.push({ scenario: name, steps });
        await p.cleanup();
      }
    }

    const someCreates = 0.3; // the share of creates answered 500 after committing
    const fiveHundreds = (rate: number): FaultRule[] =>
      NATIVE_CREATE_ROUTES.map((r) => ({ ...r, kind: "commit-then-fail" as const, status: 500, rate }));
    // Each garble on a share of every create route; the first matching rule decides, so the shares compound.
    const badAnswers = (rate: number): FaultRule[] =>
      GARBLES.flatMap((garble) =>
        NATIVE_CREATE_ROUTES.map((r) => ({ ...r, kind: "commit-then-garble" as const, garble, rate })),
      );

    await scenario(
      `500s and garbled answers after commit on every create route, N = ${small}`,
      small,
      "soak-n500",
      async (_p, step) => {
        emuA.admin.setFaults([...fiveHundreds(someCreates / 2), ...badAnswers(someCreates / 2 / GARBLES.length)]);
        await step("up (500s, bad answers)", ["up", "--yes", "--skip-preview"]);
        emuA.admin.clearFaults();
        await step("up again, healthy", ["up", "--yes", "--skip-preview"]);
        await step("destroy", ["destroy", "--yes"]);
      },
    );

    await scenario(`the plugin killed mid-up, N = ${small}`, small, "soak-nkill", async (p, step) => {
      emuA.admin.setFaults(NATIVE_CREATE_ROUTES.map((r) => ({ ...r, kind: "latency" as const, latencyMs: 1_500 })));
      const started = Date.now();
      const cli = p.start(["up", "--yes", "--skip-preview"]);
      const exited = new Promise<void>((resolve) => cli.once("exit", () => resolve()));
      // Creates are in flight once the plugin has journaled them (before their requests leave).
      while (journalOf(p).marks.size < 2 && Date.now() - started < 120_000) await sleep(50);
      await sleep(300);
      // The launcher execs node on the compiled plugin: that process, run from this project's directory.
      const killed = killTreeHard(/dist\/plugin\/main\.js/, { cwd: p.dir });
      await exited;
      emuA.admin.clearFaults();
      await sleep(1_000); // what the server was still doing lands
      const kill = await step(`up, plugin killed (${killed} processes)`, ["stack", "export"]);
      kill.ok = false; // the up itself failed: the plugin died under it
      if (killed === 0) kill.invalid = "the plugin was not running when the kill came";
      await step("up again, healthy", ["up", "--yes", "--skip-preview"]);
      await step("destroy", ["destroy", "--yes"]);
    });

    await scenario(`moved a → b under 500s on B, and back, N = ${small}`, small, "soak-nmove", async (_p, step) => {
      await step("up on a", ["up", "--yes", "--skip-preview"]);
      emuB.admin.setFaults(fiveHundreds(someCreates));
      await step("moved to b (500s on B)", ["up", "--yes", "--skip-preview"], "b");
      emuB.admin.clearFaults();
      await step("up again, healthy", ["up", "--yes", "--skip-preview"]);
      await step("moved back to a", ["up", "--yes", "--skip-preview"], "a");
      await step("destroy", ["destroy", "--yes"]);
    });
  } finally {
    await emuB.stop();
  }

  const bad = (st: Step) =>
    clusters2(st).reduce((a, t) => a + t.liveInNoState + t.inStateButDead + t.droppedWhileLive, 0) +
    st.foreignTouched +
    st.secrets.length +
    (st.invalid ? 1 : 0);
  const goals: Goal[] = scenarios.map((sc) => {
    const last = sc.steps[sc.steps.length - 1];
    const worst = sc.steps.filter((st) => bad(st) > 0).map((st) => `${st.step}: ${describe(st)}`);
    const leftLive = last ? clusters2(last).reduce((a, t) => a + t.liveKeys + t.markedRoles, 0) : -1;
    return {
      goal: `native: ${sc.scenario}: state tells the truth on both clusters after every step, nobody else's object touched, no secret printed, destroy leaves nothing live`,
      met: worst.length === 0 && !!last?.ok && leftLive === 0 && last.journal === 0,
      detail: worst.length
        ? worst.join("; ")
        : `${sc.steps.map((st) => `${st.step} ${st.ok ? "ok" : "failed"}`).join(", ")}; ${leftLive} live objects left`,
    };
  });

  console.log("\nSoak through the native plugin (YAML programs, clusters A and B)");
  console.log(
    "  per step and cluster: live objects in no state | in state but gone | dropped from state while live; then someone else's objects touched, secrets found, create-journal entries",
  );
  for (const sc of scenarios) {
    console.log(`  ${sc.scenario}`);
    for (const st of sc.steps)
      console.log(
        `    ${st.step.padEnd(34)} ${st.ok ? "ok    " : "failed"} ${fmtMs(st.ms).padStart(9)}   ${describe(st)}${st.error ? `  ${st.error.slice(0, 140)}` : ""}`,
      );
  }
  printGoals(goals);
  return { scenarios, goals };
}

const clusters2 = (st: Step) => [st.truth.A, st.truth.B];

function describe(st: Step): string {
  const t = (x: Truth) =>
    `${x.liveInNoState} | ${x.inStateButDead} | ${x.droppedWhileLive} (${x.liveKeys} keys, ${x.markedRoles} roles live)`;
  return `A ${t(st.truth.A)}; B ${t(st.truth.B)}; foreign touched ${st.foreignTouched}, secrets ${st.secrets.length}, journal ${st.journal}${st.invalid ? `; INVALID: ${st.invalid}` : ""}`;
}
