// The native plugin's own figures for the benchmark: how long it takes from exec to printing its port (what every
// command pays per provider instance before its first request), and the size of its tarball.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { packagePlugin } from "../package-plugin";

/** Milliseconds from spawning `<pluginDir>/pulumi-resource-elastic` to its port on stdout, one start. */
function startOnce(pluginDir: string, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(path.join(pluginDir, "pulumi-resource-elastic"), [], {
      stdio: ["ignore", "pipe", "inherit"],
      env,
    });
    child.stdout.once("data", () => {
      resolve(performance.now() - started);
      child.kill();
    });
    child.once("error", reject);
  });
}

/**
 * Plugin start times over `times` starts with the given `node` first on PATH, as the launcher finds it (the first
 * start may fill the compile cache, and is reported apart).
 */
export async function pluginStartMs(
  pluginDir: string,
  node: string,
  times = 11,
): Promise<{ first: number; median: number; max: number }> {
  const env = { ...process.env, PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH ?? ""}` };
  const runs: number[] = [];
  for (let i = 0; i < times; i++) runs.push(await startOnce(pluginDir, env));
  const rest = runs.slice(1).sort((a, b) => a - b);
  return { first: runs[0], median: rest[Math.floor(rest.length / 2)], max: rest[rest.length - 1] };
}

/** Bytes of the tarball `npm run package-plugin` makes. */
export function pluginTarballBytes(): number {
  const out = mkdtempSync(path.join(os.tmpdir(), "pek-bench-tarball-"));
  try {
    return packagePlugin(out).bytes;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
