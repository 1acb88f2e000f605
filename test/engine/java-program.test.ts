// The plugin's generated Java SDK used the way a Java user uses it: the SDK built and installed with `mvn install`
// from plugin/sdks/java, a Maven program (test/sdk/java) on it and on com.pulumi:pulumi from Maven Central, run by
// the real pulumi CLI through pulumi-language-java, typed as a user types it: stack init, config set [--secret],
// up, preview --expect-no-changes, destroy. All four resources, the role on a second cluster through a provider
// instance; secret outputs secret, ciphertext in `pulumi stack export`, nothing secret printed, nothing left live.
// Maven works offline (`-o`) on a repository in the cache that scripts/ensure-java-env.sh filled from Maven Central.
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Emulator } from "../../emulator";
import { createCliProject, type CliProject } from "../../scripts/lib/cli-project";
import { javaHostPath, PLUGIN_DIR, REPO_ROOT } from "../../scripts/lib/pulumi-cli";
import { leaked } from "../support/elastic-checks";
import { checkDestroyed, checkUp, sdkScenario, type Outputs, type Scenario } from "../support/sdk-checks";
import { useTarget } from "../support/target";

const t = useTarget({ before, after });

/** Runs `mvn` offline on the cache's repository, quietly (its output only when it fails). */
function mvn(repo: string, dir: string, args: string[]): string {
  return execFileSync("mvn", ["-B", "-q", "-o", `-Dmaven.repo.local=${repo}`, ...args], {
    cwd: dir,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

let repo: string;
before(() => {
  repo = execFileSync("bash", [path.join(REPO_ROOT, "scripts", "ensure-java-env.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  }).trim();
  // The README's install step, `mvn install` in plugin/sdks/java: here in a copy, so the checkout gets no target/.
  const sdk = mkdtempSync(path.join(os.tmpdir(), "pek-java-sdk-"));
  try {
    cpSync(path.join(REPO_ROOT, "plugin/sdks/java"), sdk, { recursive: true });
    mvn(repo, sdk, ["install"]);
  } finally {
    rmSync(sdk, { recursive: true, force: true });
  }
});

/** A project directory holding test/sdk/java, with Maven pinned offline to the cache's repository. */
async function javaProject(): Promise<CliProject> {
  const p = await createCliProject({
    programYaml: `name: pek-java\nruntime: java\nplugins:\n  providers:\n    - name: elastic\n      path: ${PLUGIN_DIR}\n`,
    languageHost: javaHostPath,
  });
  cpSync(path.join(REPO_ROOT, "test/sdk/java"), p.dir, { recursive: true });
  // The language host runs `mvn` in the project: .mvn/maven.config gives it the options a test needs.
  mkdirSync(path.join(p.dir, ".mvn"));
  writeFileSync(path.join(p.dir, ".mvn", "maven.config"), `--offline\n-Dmaven.repo.local=${repo}\n`);
  return p;
}

/** The stack outputs, each with whether the CLI holds it as a secret (`[secret]` without --show-secrets). */
async function outputs(p: CliProject): Promise<Outputs> {
  const shown = JSON.parse((await p.pulumi(["stack", "output", "--json", "--show-secrets"])).stdout) as Record<
    string,
    unknown
  >;
  const masked = JSON.parse((await p.pulumi(["stack", "output", "--json"])).stdout) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(shown).map(([k, v]) => [k, { value: v, secret: masked[k] === "[secret]" }]));
}

describe("a Java program on the generated Java SDK (Maven, real pulumi CLI, pulumi-language-java)", () => {
  let s: Scenario;
  let other: Emulator;
  let p: CliProject;
  let out: Outputs;
  before(async () => {
    ({ s, other } = await sdkScenario(t));
    p = await javaProject();
  });
  after(async () => {
    await p?.cleanup();
    await other?.stop();
  });

  test("the SDK on the program's classpath tells the engine which plugin it needs: its plugin.json", () => {
    // What the language host runs to answer the engine's question: the program's classpath, listed by com.pulumi.
    const listed = mvn(repo, p.dir, [
      "compile",
      "exec:java",
      "-DmainClass=com.pulumi.bootstrap.internal.Main",
      "-DmainArgs=packages",
    ]);
    // The listing is a JSON array of objects on one line (Maven's console adds colour resets around it).
    const line = listed.match(/\[\{.*\}\]/)?.[0];
    assert.ok(line, `no plugin listing in: ${listed}`);
    // Name, version and, when the schema has one, where the engine downloads the plugin from.
    const schema = JSON.parse(readFileSync(path.join(REPO_ROOT, "plugin/schema.json"), "utf8")) as {
      name: string;
      version: string;
      pluginDownloadURL?: string;
    };
    const server = schema.pluginDownloadURL ? { server: schema.pluginDownloadURL } : {};
    assert.deepEqual(JSON.parse(line), [{ resource: true, name: schema.name, version: schema.version, ...server }]);
  });

  test("stack init, config set [--secret]: the main cluster for the default provider, the program's own config", async () => {
    await p.pulumi(["stack", "init", "dev"]);
    for (const [key, val] of [
      ["elastic:elasticsearchEndpoints", s.main.esUrl],
      ["elastic:kibanaEndpoint", s.main.kibanaUrl!],
      ["elastic:elasticsearchUsername", s.main.username],
      ["elastic:kibanaUsername", s.main.username],
      ["suffix", s.suffix],
      ["policyId", s.policyId],
      ["otherEndpoint", s.other.esUrl],
      ["otherUsername", s.other.username],
    ])
      await p.pulumi(["config", "set", key, val]);
    for (const [key, val] of [
      ["elastic:elasticsearchPassword", s.main.password],
      ["elastic:kibanaPassword", s.main.password],
      ["otherPassword", s.other.password],
    ])
      await p.pulumi(["config", "set", "--secret", key, val]);
  });

  test("up --yes: all four resources, the role on the second cluster, secrets secret", async () => {
    await p.pulumi(["up", "--yes"]);
    out = await outputs(p);
    const exported = (await p.pulumi(["stack", "export"])).stdout;
    await checkUp(t, s, other, out, exported, p.transcript());
  });

  test("preview --expect-no-changes after up", async () => {
    await p.pulumi(["preview", "--expect-no-changes"]);
  });

  test("destroy --yes leaves nothing live on either cluster, and nothing secret was printed", async () => {
    await p.pulumi(["destroy", "--yes"]);
    await checkDestroyed(t, s, other, out);
    const secrets = ["agentEncoded", "enrollToken", "ccEncoded"].map((k) => String(out[k]?.value));
    assert.deepEqual(leaked(p.transcript(), [...secrets, s.main.password, s.other.password]), []);
  });
});
