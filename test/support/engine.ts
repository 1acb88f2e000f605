// The engine tests' scaffold in one place: a stack (Automation API) or a CLI project is made, handed to the test body,
// and always cleaned up afterwards, so a test body says only what it proves. A clean-up that fails after the body
// failed never hides the body's own error.
import { createCliProject, type CliProject } from "../../scripts/lib/cli-project";
import { createTestStack, type TestStack, type TestStackOptions } from "../../scripts/lib/stack";
import type { ElasticTarget } from "./target";

/** What a test puts back around the clean-up, whatever happened. */
export interface Around<R> {
  /** After the body, before clean-up: undoes what the body set on shared things (emulator faults, the stack's env,
   * the server's clock), so clean-up's destroy meets the server as it really is. */
  beforeCleanup?: (resource: R) => unknown;
  /** After clean-up: closes what the test started beside the stack (a proxy it talked through). */
  afterCleanup?: () => unknown;
}

/** Runs `body` on `resource`, then `resource.cleanup()` whatever happened (each step of `around` too, in order); the
 * body's error wins over clean-up's, and a clean-up step's error over the later steps'. */
export async function withCleanup<R extends { cleanup(): unknown }, T>(
  resource: R,
  body: (resource: R) => Promise<T>,
  around: Around<R> = {},
): Promise<T> {
  const cleanup = async () => {
    const failures: unknown[] = [];
    for (const step of [() => around.beforeCleanup?.(resource), () => resource.cleanup(), around.afterCleanup])
      await Promise.resolve()
        .then(step)
        .catch((e: unknown) => failures.push(e));
    if (failures.length > 0) throw failures[0];
  };
  let result: T;
  try {
    result = await body(resource);
  } catch (e) {
    await cleanup().catch(() => {}); // the body's failure is what the test reports
    throw e;
  }
  await cleanup();
  return result;
}

/** A stack on the real CLI through the Automation API (see scripts/lib/stack.ts): `run(body)` makes it, runs `body`
 * on it and cleans it up. */
export const withStack = (opts: TestStackOptions, around?: Around<TestStack>) => ({
  run: async <T>(body: (stack: TestStack) => Promise<T>): Promise<T> =>
    withCleanup(await createTestStack(opts), body, around),
});

/** Several stacks at once (e.g. racing for the same names): made in order, handed to `body` in that order, and all
 * cleaned up afterwards, the last made first (`around.beforeCleanup` once, before any). */
export const withStacks = (all: TestStackOptions[], around?: Around<TestStack[]>) => ({
  run: async <T>(body: (stacks: TestStack[]) => Promise<T>): Promise<T> => {
    const made: TestStack[] = [];
    const stacks = Object.assign(made, {
      cleanup: async () => {
        const failures: unknown[] = [];
        for (const s of [...made].reverse()) await s.cleanup().catch((e: unknown) => failures.push(e));
        if (failures.length > 0) throw failures[0];
      },
    });
    // Made inside the clean-up's scope: when one cannot be made, the ones made before it are cleaned up.
    return withCleanup(
      stacks,
      async () => {
        for (const opts of all) made.push(await createTestStack(opts));
        return body(made);
      },
      around,
    );
  },
});

/** A project the pulumi CLI runs in (see scripts/lib/cli-project.ts): `run(body)` makes it, runs `body` in it and
 * cleans it up. */
export const withCliProject = (opts: Parameters<typeof createCliProject>[0], around?: Around<CliProject>) => ({
  run: async <T>(body: (project: CliProject) => Promise<T>): Promise<T> =>
    withCleanup(await createCliProject(opts), body, around),
});

/** Clears the emulator's faults before clean-up, so its destroy is not met by the faults the body set. */
export const faultsCleared = (t: ElasticTarget): Around<unknown> => ({
  beforeCleanup: () => t.emulator?.admin.clearFaults(),
});
