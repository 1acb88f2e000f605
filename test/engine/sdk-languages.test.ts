// The plugin's generated SDKs used the way their users use them: an Automation API inline program in Python, in Go
// and in TypeScript (`pulumi-elastic-keys/native`), each against the plugin and the emulator — all four resources,
// the role on a second cluster, both clusters through `elastic` provider instances. Secrets stay secret in the
// outputs, in `pulumi stack export` and in everything printed; destroy leaves nothing live on either cluster.
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type * as pulumiType from "@pulumi/pulumi";
import { packagePlugin } from "../../scripts/package-plugin";
import { pulumiCliPath, REPO_ROOT } from "../../scripts/lib/pulumi-cli";
import { GO_PULUMI_SDK } from "../../scripts/generate";
import { GO_MODULE } from "../../scripts/generate/publishing";
import { PASSPHRASE } from "../../scripts/lib/stack";
import { leaked } from "../support/elastic-checks";
import { checkDestroyed, checkUp, sdkScenario, type Cluster } from "../support/sdk-checks";
import { goDriver, pythonDriver, runDriver, type Driver } from "../support/sdk-drivers";
import { useTarget } from "../support/target";
import { withCleanup, withStack } from "../support/engine";

const t = useTarget({ before, after });
const VERSION = (JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;

let tarballDir: string;
let tarball: string;
before(() => {
  tarballDir = mkdtempSync(path.join(os.tmpdir(), "pek-sdk-tarball-"));
  tarball = packagePlugin(tarballDir).tarball;
});
after(() => rmSync(tarballDir, { recursive: true, force: true }));

/** Where a stack lives: its own PULUMI_HOME (the plugin installed from the tarball, as a Python or Go user does). */
interface Place {
  home: string;
  backend: string;
  env: Record<string, string>;
  cleanup(): void;
}
function place(): Place {
  const home = mkdtempSync(path.join(os.tmpdir(), "pek-sdk-home-"));
  const backend = mkdtempSync(path.join(os.tmpdir(), "pek-sdk-backend-"));
  const env = {
    PULUMI_BACKEND_URL: `file://${backend}`,
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  };
  execFileSync(pulumiCliPath(), ["plugin", "install", "resource", "elastic", VERSION, "--file", tarball], {
    env: { ...process.env, ...env, PULUMI_HOME: home },
    stdio: ["ignore", "ignore", "inherit"],
  });
  return {
    home,
    backend,
    env,
    cleanup: () => [home, backend].forEach((d) => rmSync(d, { recursive: true, force: true })),
  };
}

/** `pulumi stack export` without --show-secrets, by the stack's full name. */
function exportOf(p: Place, project: string, stack: string): string {
  return execFileSync(pulumiCliPath(), ["stack", "export", "--stack", `organization/${project}/${stack}`], {
    cwd: os.tmpdir(),
    env: { ...process.env, ...p.env, PULUMI_HOME: p.home },
    encoding: "utf8",
  });
}

/** Python and Go: their program runs in its own process, the plugin installed from the tarball. */
async function runLanguage(driver: () => Driver, project: string): Promise<void> {
  const { s, other } = await sdkScenario(t);
  const p = place();
  const stackName = `t${process.pid}`;
  const request = {
    ...s,
    stackName,
    projectName: project,
    pulumiHome: p.home,
    cliRoot: path.dirname(path.dirname(pulumiCliPath())),
    env: p.env,
  };
  await withCleanup(
    p,
    async () => {
      const d = driver();
      const up = await runDriver(d, { ...request, phase: "up" });
      await checkUp(t, s, other, up.outputs, exportOf(p, project, stackName), up.stderr);
      const destroyed = await runDriver(d, { ...request, phase: "destroy" });
      await checkDestroyed(t, s, other, up.outputs);
      assert.deepEqual(leaked(destroyed.stderr, [s.main.password]), []);
    },
    { afterCleanup: () => other.stop() },
  );
}

describe("the generated SDKs, each through its language's Automation API", () => {
  test("Python (pulumi_elastic_keys: the wheel npm run package-python builds, pip-installed; pulumi 3.259.0 from PyPI)", async () => {
    await runLanguage(pythonDriver, "pek-python-sdk");
    const leftovers = readdirSync(path.join(REPO_ROOT, "plugin/sdks/python")).filter(
      (f) => f === "build" || f === "dist" || f.endsWith(".egg-info"),
    );
    assert.deepEqual(leftovers, [], "pip left the generated folder as it was");
  });

  test("Go (the generated module by its published path, through a replace directive to this checkout; sdk/v3 v3.259.0)", async () => {
    await runLanguage(goDriver, "pek-go-sdk");
  });

  test("the Go module is tidy: go build and go vet pass with -mod=readonly, and go mod tidy changes nothing", () => {
    const dir = path.join(REPO_ROOT, "plugin", "sdks", "go");
    const env = { ...process.env, GOFLAGS: "-mod=readonly", GOTOOLCHAIN: "local", CGO_ENABLED: "0" };
    for (const args of [
      ["build", "./..."],
      ["vet", "./..."],
      ["mod", "tidy", "-diff"],
    ])
      execFileSync("go", args, { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
    const goMod = readFileSync(path.join(dir, "go.mod"), "utf8");
    assert.match(goMod, new RegExp(`^module ${GO_MODULE.replace(/\./g, "\\.")}$`, "m"), "the published module path");
    assert.match(goMod, new RegExp(`github\\.com/pulumi/pulumi/sdk/v3 ${GO_PULUMI_SDK.replace(/\./g, "\\.")}\\b`));
    const readme = readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
    assert.ok(readme.includes(`sdk/v3\` ${GO_PULUMI_SDK}`), "the README names the sdk/v3 the module pins");
  });

  test("the README's Go program (examples/go) is complete: it builds and vets against the generated SDK", () => {
    const example = path.join(REPO_ROOT, "examples", "go");
    const main = readFileSync(path.join(example, "main.go"), "utf8");
    assert.ok(
      readFileSync(path.join(REPO_ROOT, "README.md"), "utf8").includes(`\`\`\`go\n${main}\`\`\``),
      "README shows examples/go/main.go",
    );
    const work = mkdtempSync(path.join(os.tmpdir(), "pek-go-example-"));
    try {
      for (const f of ["main.go", "go.mod"]) writeFileSync(path.join(work, f), readFileSync(path.join(example, f)));
      const env = { ...process.env, GOTOOLCHAIN: "local", GOFLAGS: "-mod=mod", CGO_ENABLED: "0" };
      const go = (...args: string[]) => execFileSync("go", args, { cwd: work, env, stdio: ["ignore", "pipe", "pipe"] });
      // As its README says before a release: the module pointed at this checkout.
      go("mod", "edit", `-replace=${GO_MODULE}=${path.join(REPO_ROOT, "plugin", "sdks", "go")}`);
      go("mod", "tidy");
      go("vet", ".");
      go("build", "-o", path.join(work, "program"), ".");
      assert.equal(execFileSync("gofmt", ["-l", example], { encoding: "utf8" }), "", "gofmt-clean");
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  test("TypeScript (pulumi-elastic-keys/native, the plugin by path)", async () => {
    const { s, other } = await sdkScenario(t);
    // The compiled generated SDK, loaded the way `import * as elastic from "pulumi-elastic-keys/native"` loads it.
    const elastic = require(path.join(REPO_ROOT, "dist", "native")) as NativeSdk;
    const pulumi = require("@pulumi/pulumi") as typeof pulumiType;
    const provider = (name: string, c: Cluster) =>
      new elastic.Provider(name, {
        elasticsearchEndpoints: c.esUrl,
        elasticsearchUsername: c.username,
        elasticsearchPassword: pulumi.secret(c.password),
        kibanaEndpoint: c.kibanaUrl,
        kibanaUsername: c.username,
        kibanaPassword: pulumi.secret(c.password),
      });
    const typescript = {
      projectName: "pek-ts-sdk",
      pluginPaths: { elastic: path.join(REPO_ROOT, "plugin", "bin") },
      program: async () => {
        const main = provider("main", s.main);
        const otherProvider = provider("other", s.other);
        const role = new elastic.ApmRole(
          "role",
          { name: `role-${s.suffix}`, spaces: ["default"] },
          { provider: otherProvider },
        );
        const agent = new elastic.ApmAgentKey(
          "agent",
          { name: `agent-${s.suffix}`, privileges: ["event:write", "config_agent:read"] },
          { provider: main },
        );
        const enroll = new elastic.EnrollmentApiKey(
          "enroll",
          { policyId: s.policyId, name: `enroll-${s.suffix}` },
          { provider: main },
        );
        const cc = new elastic.CrossClusterApiKey(
          "cc",
          { name: `cc-${s.suffix}`, access: { search: [{ names: ["logs-*"] }] } },
          { provider: main },
        );
        return {
          roleName: role.name,
          agentKeyId: agent.keyId,
          agentEncoded: agent.encoded,
          enrollKeyId: enroll.keyId,
          enrollApiKeyId: enroll.apiKeyId,
          enrollToken: enroll.apiKey,
          ccKeyId: cc.keyId,
          ccEncoded: cc.encoded,
        };
      },
    };
    await withStack(typescript, { afterCleanup: () => other.stop() }).run(async (stack) => {
      const up = await stack.up();
      const out = Object.fromEntries(
        Object.entries(up.outputs).map(([k, v]) => [k, { value: v.value, secret: v.secret }]),
      );
      await checkUp(
        t,
        s,
        other,
        out,
        JSON.stringify({ deployment: JSON.parse(await stack.exportText()) }),
        stack.log(),
      );
      await stack.destroy();
      await checkDestroyed(t, s, other, out);
    });
  });
});

/** The part of the generated TypeScript SDK this test uses. */
type Ctor<A> = new (
  name: string,
  args: A,
  opts?: pulumiType.CustomResourceOptions,
) => Record<string, pulumiType.Output<string>>;
interface NativeSdk {
  Provider: new (name: string, args: Record<string, unknown>) => pulumiType.ProviderResource;
  ApmRole: Ctor<{ name: string; spaces: string[] }>;
  ApmAgentKey: Ctor<{ name: string; privileges: string[] }>;
  EnrollmentApiKey: Ctor<{ policyId: string; name: string }>;
  CrossClusterApiKey: Ctor<{ name: string; access: unknown }>;
}
