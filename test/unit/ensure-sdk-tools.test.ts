// The set-up scripts behind the SDK tests, on the path only a fresh machine takes (an empty cache), with fake tools
// so it takes seconds: scripts/ensure-sdkgen.sh (the generator built from our own Go sources with the shared Go
// build), scripts/ensure-python-env.sh (a virtualenv from PyPI, never used half-made), and the Java set-up:
// ensure-java-sdkgen.sh, ensure-java-host.sh (next to the CLI) and ensure-java-env.sh (a Maven repository).
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { fakeGo, fakeJavaAndMaven, fakePython } from "../support/fake-tools";

const scripts = path.join(__dirname, "..", "..", "scripts");
const run = promisify(execFile);

function sandbox() {
  const root = mkdtempSync(path.join(os.tmpdir(), "pek-sdk-tools-"));
  const cache = path.join(root, "cache");
  const env = { HOME: root, PATH: "/usr/bin:/bin", PULUMI_ELASTIC_KEYS_CACHE: cache };
  return { root, cache, env };
}

const runScript = (name: string, env: Record<string, string>) => runScriptWith(name, [], env);

async function runScriptWith(name: string, args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run("bash", [path.join(scripts, name), ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe("ensure-sdkgen.sh", () => {
  it("builds into an empty cache from the repository's sources, prints the path, and reuses it", async () => {
    const { root, cache, env } = sandbox();
    const withGo = { ...env, PATH: `${fakeGo(path.join(root, "go"))}:${env.PATH}` };
    const first = await runScript("ensure-sdkgen.sh", withGo);
    expect(first.stderr).toContain("building the SDK generator");
    expect(first.code).toBe(0);
    expect(first.stderr).not.toContain("go: downloading"); // in the log, not on the terminal
    expect(first.stderr.trim().split("\n").length).toBeLessThanOrEqual(8);
    const bin = first.stdout.trim();
    expect(bin.startsWith(cache) && existsSync(bin)).toBe(true);
    expect(readdirSync(cache).filter((f) => f.startsWith("build."))).toEqual([]);
    // Cached: no go needed any more.
    const again = await runScript("ensure-sdkgen.sh", env);
    expect({ code: again.code, stdout: again.stdout.trim() }).toEqual({ code: 0, stdout: bin });
  });

  it("fails with the reason when the module proxy cannot be reached, and caches nothing", async () => {
    const { root, cache, env } = sandbox();
    const r = await runScript("ensure-sdkgen.sh", {
      ...env,
      PATH: `${fakeGo(path.join(root, "go"))}:${env.PATH}`,
      FAKE_GO_GET_FAILS: "1",
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/go get failed .*Go module proxy/);
    expect(r.stderr).toContain("  | fake go: proxy refused"); // the log's last lines
    expect(r.stderr).toContain(`full log: ${path.join(cache, "logs", "ensure-sdkgen.log")}`);
    expect(r.stdout).toBe("");
    expect(readdirSync(cache).filter((f) => f.startsWith("sdkgen-") || f.startsWith("build."))).toEqual([]);
  });

  it("says what to install when there is no go", async () => {
    const r = await runScript("ensure-sdkgen.sh", sandbox().env);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/the go tool is not installed. Install Go >= 1\.25\.11/);
  });
});

describe("ensure-python-env.sh", () => {
  it("creates the virtualenv with pulumi 3.259.0 into an empty cache, prints its python, and reuses it", async () => {
    const { root, cache, env } = sandbox();
    const log = path.join(root, "pip.log");
    const withPython = { ...env, PATH: `${fakePython(path.join(root, "py"))}:${env.PATH}`, FAKE_PIP_LOG: log };
    const first = await runScript("ensure-python-env.sh", withPython);
    expect(first.code).toBe(0);
    const python = first.stdout.trim();
    expect(python.startsWith(cache) && python.endsWith("/bin/python")).toBe(true);
    expect(existsSync(path.join(path.dirname(path.dirname(python)), ".complete"))).toBe(true);
    expect(readFileSync(log, "utf8")).toMatch(/-m pip install .*pulumi==3\.259\.0/);
    // pip's chatter went to the log; the terminal has the stages and the figure.
    expect(first.stderr).not.toContain("Collecting");
    expect(first.stderr).toMatch(/pip install \(from PyPI\): done \(8 packages collected, \d+s\)/);
    expect(first.stderr.trim().split("\n").length).toBeLessThanOrEqual(8);
    expect(readFileSync(path.join(cache, "logs", "ensure-python-env.log"), "utf8")).toContain("Collecting pulumi");
    const again = await runScript("ensure-python-env.sh", withPython);
    expect({ code: again.code, stdout: again.stdout.trim() }).toEqual({ code: 0, stdout: python });
    expect(readFileSync(log, "utf8").trim().split("\n")).toHaveLength(1);
  });

  it("a failed pip install exits non-zero with the reason and leaves no env marked complete", async () => {
    const { root, cache, env } = sandbox();
    const withPython = { ...env, PATH: `${fakePython(path.join(root, "py"))}:${env.PATH}`, FAKE_PIP_FAILS: "1" };
    const r = await runScript("ensure-python-env.sh", withPython);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/pip install .*failed: is PyPI reachable/);
    expect(r.stderr).toContain("  | fake pip: index refused");
    expect(r.stdout).toBe("");
    const envs = readdirSync(cache).filter((f) => f.startsWith("python-pulumi-"));
    for (const e of envs) expect(existsSync(path.join(cache, e, ".complete"))).toBe(false);
    // The next run (PyPI back) starts over and succeeds.
    const retry = await runScript("ensure-python-env.sh", { ...withPython, FAKE_PIP_FAILS: "" });
    expect(retry.code).toBe(0);
  });

  it("says what to install when there is no python3", async () => {
    const { env } = sandbox();
    const r = await runScript("ensure-python-env.sh", { ...env, PYTHON: "python3-not-installed" });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/python3 is not installed \(Python >= 3\.9 is needed/);
  });
});

describe("ensure-java-sdkgen.sh", () => {
  it("builds the Java generator against pulumi-java v1.16.0 into an empty cache, prints the path, and reuses it", async () => {
    const { root, cache, env } = sandbox();
    const first = await runScript("ensure-java-sdkgen.sh", {
      ...env,
      PATH: `${fakeGo(path.join(root, "go"))}:${env.PATH}`,
    });
    expect(first.code).toBe(0);
    const bin = first.stdout.trim();
    expect(bin.startsWith(path.join(cache, "sdkgen-java-v1.16.0-")) && existsSync(bin)).toBe(true);
    expect(readFileSync(path.join(cache, "logs", "ensure-java-sdkgen.log"), "utf8")).toContain(
      "go get github.com/pulumi/pulumi-java/pkg@v1.16.0",
    );
    const again = await runScript("ensure-java-sdkgen.sh", env); // no go needed any more
    expect({ code: again.code, stdout: again.stdout.trim() }).toEqual({ code: 0, stdout: bin });
  });
});

describe("ensure-java-host.sh", () => {
  it("builds pulumi-language-java v1.16.0 next to the CLI on a fresh machine, stamps it, and reuses it", async () => {
    const { root, env } = sandbox();
    const cliDir = path.join(root, "cli");
    mkdirSync(cliDir);
    const withGo = { ...env, PATH: `${fakeGo(path.join(root, "go"))}:${env.PATH}` };
    const first = await runScriptWith("ensure-java-host.sh", [cliDir], withGo);
    expect(first.code).toBe(0);
    expect(first.stdout.trim()).toBe(path.join(cliDir, "pulumi-language-java"));
    expect(readFileSync(path.join(cliDir, "pulumi-language-java.version"), "utf8").trim()).toBe("1.16.0");
    const log = readFileSync(path.join(env.PULUMI_ELASTIC_KEYS_CACHE, "logs", "ensure-java-host.log"), "utf8");
    expect(log).toContain("go get github.com/pulumi/pulumi-java/pkg/cmd/pulumi-language-java@v1.16.0");
    expect(log).toContain("-X github.com/pulumi/pulumi-java/pkg/version.Version=v1.16.0");
    expect(first.stderr).not.toContain("go: downloading"); // in the log, not on the terminal
    const again = await runScriptWith("ensure-java-host.sh", [cliDir], env); // no go needed any more
    expect({ code: again.code, stdout: again.stdout.trim() }).toEqual({ code: 0, stdout: first.stdout.trim() });
    // Another version's host sitting there is rebuilt.
    writeFileSync(path.join(cliDir, "pulumi-language-java.version"), "1.13.0\n");
    expect((await runScriptWith("ensure-java-host.sh", [cliDir], env)).stderr).toMatch(/the go tool is not installed/);
  });
});

describe("ensure-java-env.sh", () => {
  const withMaven = (root: string, env: Record<string, string>, extra: Record<string, string> = {}) => ({
    ...env,
    PATH: `${fakeJavaAndMaven(path.join(root, "jdk"))}:${env.PATH}`,
    FAKE_MVN_LOG: path.join(root, "mvn.log"),
    ...extra,
  });

  it("fills a Maven repository in an empty cache (never ~/.m2) by building copies, prints it, and reuses it", async () => {
    const { root, cache, env } = sandbox();
    const first = await runScript("ensure-java-env.sh", withMaven(root, env));
    expect(first.code).toBe(0);
    const repo = path.join(cache, "maven-repo");
    expect(first.stdout.trim()).toBe(repo);
    const calls = readFileSync(path.join(root, "mvn.log"), "utf8").trim().split("\n");
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatch(new RegExp(`-Dmaven\\.repo\\.local=${repo} install$`));
    expect(calls[1]).toMatch(
      /compile exec:java -DmainClass=com\.pulumi\.bootstrap\.internal\.Main -DmainArgs=packages$/,
    );
    for (const call of calls) expect(call.startsWith(path.resolve(scripts, ".."))).toBe(false); // copies, not the checkout
    expect(first.stderr).not.toContain("Downloaded from"); // in the log, not on the terminal
    expect(first.stderr).toMatch(/mvn install \(the generated Java SDK\): done \(5 artifacts fetched, \d+s\)/);
    expect(readdirSync(repo).filter((f) => f.startsWith(".ready-"))).toHaveLength(1);
    const again = await runScript("ensure-java-env.sh", withMaven(root, env));
    expect({ code: again.code, stdout: again.stdout.trim() }).toEqual({ code: 0, stdout: repo });
    expect(readFileSync(path.join(root, "mvn.log"), "utf8").trim().split("\n")).toHaveLength(2);
  });

  it("a failed download exits non-zero with the reason and the log's last lines, and marks nothing ready", async () => {
    const { root, cache, env } = sandbox();
    const r = await runScript("ensure-java-env.sh", withMaven(root, env, { FAKE_MVN_FAILS: "1" }));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/mvn install of the Java SDK failed .*is Maven Central reachable/);
    expect(r.stderr).toContain("  | [ERROR] fake mvn: Could not transfer artifact");
    expect(r.stdout).toBe("");
    expect(existsSync(path.join(cache, "maven-repo")) ? readdirSync(path.join(cache, "maven-repo")) : []).toEqual([]);
  });

  it("says what to install without Maven or with too old a JDK", async () => {
    const { root, env } = sandbox();
    const noMaven = await runScript("ensure-java-env.sh", withMaven(root, env, { MVN: "mvn-not-installed" }));
    expect(noMaven.code).not.toBe(0);
    expect(noMaven.stderr).toMatch(/mvn is not installed: Java programs are built with Maven >= 3\.6\.3/);
    const oldJava = await runScript("ensure-java-env.sh", withMaven(root, env, { FAKE_JAVA_VERSION: "1.8.0_392" }));
    expect(oldJava.code).not.toBe(0);
    expect(oldJava.stderr).toMatch(/java 1\.8\.0 is too old: the Java SDK needs a JDK >= 11/);
  });
});
