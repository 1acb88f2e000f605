// The plugin exits when the engine that started it is gone (plugin/engine-watch.ts): its parent process changes, or
// the engine's address refuses connections. The engine test (clusters.test.ts, a CLI killed with kill -9) shows the
// first on the real CLI; this one shows both on a plain process.
import { spawn } from "node:child_process";
import * as net from "node:net";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const WATCH = path.join(__dirname, "..", "..", "dist", "plugin", "engine-watch.js");
const pids: number[] = [];
afterEach(() => {
  for (const pid of pids.splice(0))
    try {
      process.kill(pid);
    } catch {
      // already gone
    }
});

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 150 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  return !alive(pid);
}

/** A process that watches `address` as the plugin does, and otherwise runs forever. */
const watcher = (address: string) =>
  `require(${JSON.stringify(WATCH)}).exitWhenEngineGone(["node", "plugin", ${JSON.stringify(address)}]); setInterval(() => {}, 1000); console.log(process.pid);`;

describe("the plugin exits when its engine is gone", () => {
  it("when the engine's address stops accepting connections", async () => {
    const engine = net.createServer((s) => s.destroy());
    await new Promise<void>((r) => engine.listen(0, "127.0.0.1", r));
    const address = `127.0.0.1:${(engine.address() as net.AddressInfo).port}`;
    const child = spawn(process.execPath, ["-e", watcher(address)], { stdio: "ignore" });
    pids.push(child.pid!);
    await new Promise((r) => setTimeout(r, 1500));
    expect(alive(child.pid!), "runs while the engine is there").toBe(true);
    await new Promise((r) => engine.close(r));
    expect(await gone(child.pid!)).toBe(true);
  });

  it("when its parent process exits (re-parented: the engine was killed)", async () => {
    const engine = net.createServer((s) => s.destroy());
    await new Promise<void>((r) => engine.listen(0, "127.0.0.1", r));
    const address = `127.0.0.1:${(engine.address() as net.AddressInfo).port}`;
    // An intermediate parent that starts the watcher and exits once it has printed its pid.
    const parent = spawn(
      process.execPath,
      [
        "-e",
        `const c = require("node:child_process").spawn(process.execPath, ["-e", ${JSON.stringify(watcher(address))}], { stdio: ["ignore", "pipe", "ignore"], detached: false }); c.stdout.once("data", (d) => { process.stdout.write(d); process.exit(0); });`,
      ],
      { stdio: ["ignore", "pipe", "ignore"] },
    );
    const pid = Number(await new Promise<string>((r) => parent.stdout!.once("data", (d: Buffer) => r(d.toString()))));
    pids.push(pid);
    expect(await gone(pid)).toBe(true);
    engine.close();
  });

  it("a process not started by an engine (no address among its arguments) is left alone", async () => {
    const child = spawn(
      process.execPath,
      ["-e", `require(${JSON.stringify(WATCH)}).exitWhenEngineGone(["node", "plugin"]); setTimeout(() => {}, 3000);`],
      { stdio: "ignore" },
    );
    pids.push(child.pid!);
    const code = await new Promise((r) => child.once("exit", r));
    expect(code).toBe(0);
  });
});
