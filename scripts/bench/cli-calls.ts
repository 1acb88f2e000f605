// Times every pulumi CLI command the Automation API runs for a stack (the operation itself, and the `stack output`
// and `stack history` calls Automation makes after an update to return its outputs and summary).
import type { TestStack } from "../lib/stack";

export interface CliCall {
  /** The first two arguments, e.g. `up --yes`, `stack output`. */
  args: string;
  start: number;
  end: number;
  ms: number;
}

/** Records the CLI calls made while `run` runs (epoch ms). */
export async function timingCliCalls<T>(s: TestStack, run: () => Promise<T>): Promise<{ result: T; calls: CliCall[] }> {
  const cli = s.stack.workspace.pulumiCommand as unknown as { run: (...a: unknown[]) => Promise<unknown> };
  const original = cli.run;
  const calls: CliCall[] = [];
  cli.run = async function (this: unknown, ...a: unknown[]) {
    const start = Date.now();
    try {
      return await original.apply(this, a);
    } finally {
      const end = Date.now();
      calls.push({ args: (a[0] as string[]).slice(0, 2).join(" "), start, end, ms: end - start });
    }
  };
  try {
    return { result: await run(), calls };
  } finally {
    cli.run = original;
  }
}

/** The operation's own call: the longest one. */
export const mainCall = (calls: readonly CliCall[]): CliCall | undefined =>
  calls.reduce<CliCall | undefined>((a, b) => (!a || b.ms > a.ms ? b : a), undefined);
