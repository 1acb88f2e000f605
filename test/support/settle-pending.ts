// `pulumi-elastic-keys settle-pending` as a user runs it: the stack's export on stdin, settings in the environment.
import { spawn } from "node:child_process";
import * as path from "node:path";
import { REPO_ROOT } from "../../scripts/lib/pulumi-cli";

/** Runs the command on an export (`pulumi stack export` text: the deployment); its exit code and everything it printed. */
export function settlePending(
  exported: string,
  env: Record<string, string>,
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, "dist/cli/bin.js"), "settle-pending"], {
      env: { ...process.env, ...env },
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d));
    child.stderr.on("data", (d: Buffer) => (out += d));
    child.on("close", (code) => resolve({ code, out }));
    child.stdin.end(JSON.stringify({ version: 3, deployment: JSON.parse(exported) }));
  });
}
