// Killing processes as a crash would (SIGKILL, no clean-up), found by their command line and working directory.
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

interface Proc {
  pid: number;
  ppid: number;
  cmdline: string;
  cwd: string;
  environ: string[];
}

function processes(): Proc[] {
  return readdirSync("/proc")
    .filter((p) => /^\d+$/.test(p))
    .map((pid) => {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
        const ppid = Number(
          readFileSync(`/proc/${pid}/stat`, "utf8")
            .replace(/^.*\) /s, "")
            .split(" ")[1],
        );
        let cwd = "";
        let environ: string[] = [];
        try {
          cwd = readlinkSync(`/proc/${pid}/cwd`);
          environ = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
        } catch {
          // not ours to read
        }
        return { pid: Number(pid), ppid, cmdline, cwd, environ };
      } catch {
        return undefined; // gone meanwhile
      }
    })
    .filter((p): p is Proc => p !== undefined);
}

/**
 * SIGKILLs the processes whose command line matches — and, when given, whose working directory is `where.cwd` and
 * whose environment holds `where.env` (`NAME=value`), so a test kills only its own — and everything they started.
 * Returns how many were killed (a process that ended by itself meanwhile is not counted).
 */
export function killTreeHard(pattern: RegExp, where: { cwd?: string; env?: string } = {}): number {
  const procs = processes();
  const doomed = new Set(
    procs
      .filter(
        (p) =>
          pattern.test(p.cmdline) &&
          (!where.cwd || p.cwd === where.cwd) &&
          (!where.env || p.environ.includes(where.env)),
      )
      .map((p) => p.pid),
  );
  for (let grew = true; grew;) {
    grew = false;
    for (const p of procs)
      if (doomed.has(p.ppid) && !doomed.has(p.pid)) {
        doomed.add(p.pid);
        grew = true;
      }
  }
  let killed = 0;
  for (const pid of doomed)
    try {
      process.kill(pid, "SIGKILL");
      killed++;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ESRCH") throw err; // ended by itself meanwhile
    }
  return killed;
}
