// scripts/ensure-pulumi-cli.sh: the resolution order and the failure messages with fake CLIs, and the build branch a
// fresh machine takes (empty cache) with a fake `go` that "builds" a fake CLI in seconds.
import { execFile, spawn } from "node:child_process";
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { fakeGo } from "../support/fake-tools";

const script = path.join(__dirname, "..", "..", "scripts", "ensure-pulumi-cli.sh");
const run = promisify(execFile);

function fakePulumi(dir: string, version: string): string {
  mkdirSync(dir, { recursive: true });
  const bin = path.join(dir, "pulumi");
  writeFileSync(bin, `#!/bin/sh\n[ "$1" = version ] && echo ${version}\n`);
  chmodSync(bin, 0o755);
  return bin;
}

function sandbox() {
  const root = mkdtempSync(path.join(os.tmpdir(), "pek-cli-"));
  // No go and no real pulumi on this PATH: only the shell basics.
  const env = { HOME: root, PATH: "/usr/bin:/bin", PULUMI_ELASTIC_KEYS_CACHE: path.join(root, "cache") };
  return { root, env };
}

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
  /** How long the caller's pipes stayed open after the script exited (a leftover child holding them). */
  pipesOpenAfterExitMs: number;
}

/** Runs the script the way npm test and npm start do (stdout and stderr piped) and waits for both exit and close. */
function runPiped(env: Record<string, string>): Promise<Finished> {
  return new Promise((resolve) => {
    const child = spawn("bash", [script], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let exitedAt = 0;
    let code: number | null = null;
    child.stdout.on("data", (d: Buffer) => (stdout += d));
    child.stderr.on("data", (d: Buffer) => (stderr += d));
    child.on("exit", (c) => {
      exitedAt = Date.now();
      code = c;
    });
    child.on("close", () => resolve({ code, stdout, stderr, pipesOpenAfterExitMs: Date.now() - exitedAt }));
  });
}

/** The dynamic-provider plugin next to the cached CLI is a file of the cache's own, the same as @pulumi/pulumi's. */
function expectOwnPluginCopy(binDir: string): void {
  const copy = path.join(binDir, "pulumi-resource-pulumi-nodejs");
  expect(lstatSync(copy).isSymbolicLink()).toBe(false);
  expect(lstatSync(copy).mode & 0o111).not.toBe(0);
  const shipped = path.join(
    __dirname,
    "..",
    "..",
    "node_modules",
    "@pulumi",
    "pulumi",
    "pulumi-resource-pulumi-nodejs",
  );
  expect(readFileSync(copy, "utf8")).toBe(readFileSync(shipped, "utf8"));
}

const leftoverWorkDirs = (cache: string) =>
  existsSync(cache) ? readdirSync(cache).filter((f) => f.startsWith("build.")) : [];

describe("ensure-pulumi-cli.sh", () => {
  it("PULUMI_CLI_PATH wins", async () => {
    const { root, env } = sandbox();
    const cli = fakePulumi(path.join(root, "custom"), "v3.300.0");
    const { stdout } = await run("bash", [script], { env: { ...env, PULUMI_CLI_PATH: cli } });
    expect(stdout.trim()).toBe(cli);
  });

  it("uses the cached build, and twice at once is fine", async () => {
    const { root, env } = sandbox();
    const cached = fakePulumi(path.join(root, "cache", "pulumi-v3.259.0", "bin"), "v3.259.0");
    const both = await Promise.all([run("bash", [script], { env }), run("bash", [script], { env })]);
    for (const r of both) expect(r.stdout.trim()).toBe(cached);
  });

  it("the cached CLI gets its own copy of the dynamic-provider plugin, never a link into a clone (an old link is replaced)", async () => {
    const { root, env } = sandbox();
    const cached = fakePulumi(path.join(root, "cache", "pulumi-v3.259.0", "bin"), "v3.259.0");
    const clone = path.join(root, "some-clone", "node_modules", "@pulumi", "pulumi");
    mkdirSync(clone, { recursive: true });
    const plugin = path.join(path.dirname(cached), "pulumi-resource-pulumi-nodejs");
    symlinkSync(path.join(clone, "pulumi-resource-pulumi-nodejs"), plugin);
    const { stdout } = await run("bash", [script], { env });
    expect(stdout.trim()).toBe(cached);
    expectOwnPluginCopy(path.dirname(cached));
  });

  it("accepts a pulumi on PATH that is new enough, and ignores an older one", async () => {
    const { root, env } = sandbox();
    const newer = fakePulumi(path.join(root, "new"), "v3.260.1");
    const { stdout } = await run("bash", [script], { env: { ...env, PATH: `${path.dirname(newer)}:${env.PATH}` } });
    expect(stdout.trim()).toBe(newer);

    const older = fakePulumi(path.join(root, "old"), "v3.258.0");
    const failed = await run("bash", [script], { env: { ...env, PATH: `${path.dirname(older)}:${env.PATH}` } }).catch(
      (e: { stderr: string; code: number }) => e,
    );
    expect((failed as { code: number }).code).toBe(1);
  });

  it("without a CLI and without go, says what to install", async () => {
    const { env } = sandbox();
    const failed = (await run("bash", [script], { env }).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/the go tool is not installed/);
    expect(failed.stderr).toMatch(/Install Go >= 1\.25\.11/);
    expect(failed.stderr).toMatch(/PULUMI_CLI_PATH/);
  });

  describe("the build branch a fresh machine takes (empty cache, fake go)", () => {
    it("exits 0 with the path, leaves no work dir and nothing holding the caller's pipes", async () => {
      const { root, env } = sandbox();
      const goDir = fakeGo(path.join(root, "go"));
      const result = await runPiped({
        ...env,
        PATH: `${goDir}:${env.PATH}`,
        FAKE_GO_BUILD_SECONDS: "2",
        PULUMI_ELASTIC_KEYS_HEARTBEAT_SECONDS: "1",
      });
      const bin = path.join(env.PULUMI_ELASTIC_KEYS_CACHE, "pulumi-v3.259.0", "bin", "pulumi");
      expect(result.code).toBe(0);
      // A quiet terminal: the stages, a progress figure and where the log is; the tool output in the log.
      const log = path.join(env.PULUMI_ELASTIC_KEYS_CACHE, "logs", "ensure-pulumi-cli.log");
      expect(result.stderr).toContain(`tool output: ${log}`);
      expect(result.stderr).toMatch(/step 1\/2: go get \(module download\): done \(300 modules fetched, \d+s\)/);
      expect(result.stderr).toMatch(/\.\.\. step 2\/2: go build: 40 packages compiled, \d+s/); // progress while it runs
      expect(result.stderr).not.toContain("go: downloading");
      expect(result.stderr.trim().split("\n").length).toBeLessThanOrEqual(12);
      expect(readFileSync(log, "utf8").match(/^go: downloading /gm)).toHaveLength(300);
      expect(result.stdout).toBe(`${bin}\n`);
      const { stdout } = await run(bin, ["version"]);
      expect(stdout.trim()).toBe("v3.259.0");
      expect(leftoverWorkDirs(env.PULUMI_ELASTIC_KEYS_CACHE)).toEqual([]);
      expectOwnPluginCopy(path.dirname(bin));
      expect(result.pipesOpenAfterExitMs).toBeLessThan(1500);
      // The second run finds the cached build.
      const again = await runPiped({ ...env, PATH: `${goDir}:${env.PATH}` });
      expect(again.code).toBe(0);
      expect(again.stdout).toBe(`${bin}\n`);
      expect(again.stderr).not.toMatch(/building/);
    });

    it("two fresh runs at once build once and both succeed", async () => {
      const { root, env } = sandbox();
      const goDir = fakeGo(path.join(root, "go"));
      const both = await Promise.all(
        [1, 2].map(() => runPiped({ ...env, PATH: `${goDir}:${env.PATH}`, FAKE_GO_BUILD_SECONDS: "1" })),
      );
      for (const r of both) expect(r.code).toBe(0);
      expect(both.map((r) => r.stdout)).toEqual([both[0].stdout, both[0].stdout]);
      expect(both.filter((r) => /step 2\/2: go build/.test(r.stderr))).toHaveLength(1);
      expect(leftoverWorkDirs(env.PULUMI_ELASTIC_KEYS_CACHE)).toEqual([]);
    });

    it("a failed build exits non-zero with the reason and leaves nothing behind", async () => {
      const { root, env } = sandbox();
      const goDir = fakeGo(path.join(root, "go"));
      const result = await runPiped({ ...env, PATH: `${goDir}:${env.PATH}`, FAKE_GO_GET_FAILS: "1" });
      expect(result.code).not.toBe(0);
      expect(result.stdout).toBe("");
      expect(result.stderr).toMatch(/go get failed \(exit 7\): is the Go module proxy reachable/);
      // The reason, the log's last lines (the tool's own words) and where the whole log is; nothing more.
      expect(result.stderr).toContain("  | fake go: proxy refused");
      expect(result.stderr).toContain(
        `full log: ${path.join(env.PULUMI_ELASTIC_KEYS_CACHE, "logs", "ensure-pulumi-cli.log")}`,
      );
      expect(result.stderr.trim().split("\n").length).toBeLessThanOrEqual(30);
      expect(leftoverWorkDirs(env.PULUMI_ELASTIC_KEYS_CACHE)).toEqual([]);
      expect(existsSync(path.join(env.PULUMI_ELASTIC_KEYS_CACHE, "pulumi-v3.259.0", "bin", "pulumi"))).toBe(false);
      expect(result.pipesOpenAfterExitMs).toBeLessThan(1500);
    });

    it("a compile error shows the compiler's last words from the log", async () => {
      const { root, env } = sandbox();
      const goDir = fakeGo(path.join(root, "go"));
      const result = await runPiped({ ...env, PATH: `${goDir}:${env.PATH}`, FAKE_GO_BUILD_FAILS: "1" });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/go build of \S+ failed \(exit 1\)/);
      expect(result.stderr).toContain("  | ./main.go:3:2: undefined: fakeSymbol");
      expect(result.stderr).not.toContain("go: downloading");
    });

    it("on a terminal, each stage is one line redrawn in place", async () => {
      const { root, env } = sandbox();
      const goDir = fakeGo(path.join(root, "go"));
      // `script` gives the script a terminal; what it printed comes back on script's stdout.
      const { stdout } = await run("script", ["-qefc", `bash ${script}`, "/dev/null"], {
        env: { ...env, PATH: `${goDir}:${env.PATH}`, FAKE_GO_BUILD_SECONDS: "2", TERM: "dumb" },
      });
      const lines = stdout.split("\n").filter((l) => l.trim());
      expect(stdout).toContain("\r\u001b[K"); // redrawn in place
      expect(lines.length).toBeLessThanOrEqual(8);
      expect(stdout).toMatch(/step 1\/2: go get \(module download\): done \(300 modules fetched/);
      expect(lines.pop()).toMatch(/pulumi-v3\.259\.0\/bin\/pulumi\r?$/);
    });

    it("a go older than 1.25.11 is refused before anything is downloaded", async () => {
      const { root, env } = sandbox();
      const goDir = fakeGo(path.join(root, "go"), "go1.24.3");
      const result = await runPiped({ ...env, PATH: `${goDir}:${env.PATH}` });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/go 1\.24\.3 is too old: building needs Go >= 1\.25\.11/);
      expect(result.stderr).not.toMatch(/go get/);
    });
  });
});
