// The engine tests' scaffold in one place: a stack (Automation API) or a CLI project is made, handed to the test body,
// and always cleaned up afterwards, so a test body says only what it proves. A clean-up that fails after the body
// failed never hides the body's own error.
import { createCliProject, type CliProject } from "../../scripts/lib/cli-project";
import { createTestStack, type TestStack, type TestStackOptions } from "../../scripts/lib/stack";

/** Runs `body` on `resource`, then `resource.cleanup()` whatever happened; the body's error wins over clean-up's. */
export async function withCleanup<R extends { cleanup(): Promise<void> }, T>(
  resource: R,
  body: (resource: R) => Promise<T>,
): Promise<T> {
  let result: T;
  try {
    result = await body(resource);
  } catch (e) {
    await resource.cleanup().catch(() => {}); // the body's failure is what the test reports
    throw e;
  }
  await resource.cleanup();
  return result;
}

/** A stack on the real CLI through the Automation API (see scripts/lib/stack.ts): `run(body)` makes it, runs `body`
 * on it and cleans it up. */
export const withStack = (opts: TestStackOptions) => ({
  run: async <T>(body: (stack: TestStack) => Promise<T>): Promise<T> => withCleanup(await createTestStack(opts), body),
});

/** A project the pulumi CLI runs in (see scripts/lib/cli-project.ts): `run(body)` makes it, runs `body` in it and
 * cleans it up. */
export const withCliProject = (opts: Parameters<typeof createCliProject>[0]) => ({
  run: async <T>(body: (project: CliProject) => Promise<T>): Promise<T> =>
    withCleanup(await createCliProject(opts), body),
});
