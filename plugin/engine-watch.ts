// The plugin serves one engine. When that engine is gone (the CLI killed with `kill -9` cannot stop its plugins),
// nothing can use the plugin's answers any more, so it exits instead of running on: its parent process changed (the
// orphan was re-parented), or the engine's address, which it got as its first argument, refuses connections.
import * as net from "node:net";
import { engineAddress } from "./engine-log";

/** Whether a TCP connection to `host:port` is refused (the engine's gRPC server is gone). */
function refused(address: string): Promise<boolean> {
  const at = address.lastIndexOf(":");
  return new Promise((resolve) => {
    const socket = net.connect({ host: address.slice(0, at), port: Number(address.slice(at + 1)) });
    socket.setTimeout(5_000);
    socket.once("connect", () => (socket.destroy(), resolve(false)));
    socket.once("timeout", () => (socket.destroy(), resolve(false)));
    socket.once("error", (err: NodeJS.ErrnoException) => resolve(err.code === "ECONNREFUSED"));
  });
}

/** Starts watching; a process not started by an engine (tests, a plugin attached for debugging) is left alone. */
export function exitWhenEngineGone(
  argv: readonly string[] = process.argv,
  exit: (why: string) => void = (why) => {
    process.stderr.write(`pulumi-resource-elastic: exiting, ${why}\n`);
    process.exit(1);
  },
): () => void {
  const address = engineAddress(argv);
  if (!address) return () => {};
  const parent = process.ppid;
  let ticks = 0;
  let probing = false;
  const timer = setInterval(() => {
    if (process.ppid !== parent) return exit("its engine (parent process) is gone");
    // The address only every fifth tick: the parent check covers the usual case, this one a plugin whose parent is
    // an intermediate process (a language host running it as a source plugin).
    if (++ticks % 5 !== 0 || probing) return;
    probing = true;
    void refused(address).then((gone) => {
      probing = false;
      if (gone) exit(`its engine at ${address} is gone`);
    });
  }, 1_000);
  timer.unref();
  return () => clearInterval(timer);
}
