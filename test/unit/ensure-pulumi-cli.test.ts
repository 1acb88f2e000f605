// scripts/ensure-pulumi-cli.sh: the resolution order and the failure message, with fake CLIs (no real build).
import { execFile } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

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
});
