// The engine tests' scaffold (test/support/engine.ts): clean-up always runs, and a failing clean-up never hides
// the failure of the test body it follows.
import { describe, expect, it } from "vitest";
import { withCleanup } from "../support/engine";

function resource(cleanupError?: Error) {
  const r = {
    cleanups: 0,
    cleanup: async () => {
      r.cleanups++;
      if (cleanupError) throw cleanupError;
    },
  };
  return r;
}

describe("withCleanup", () => {
  it("hands the resource to the body, returns the body's value and cleans up once", async () => {
    const r = resource();
    await expect(withCleanup(r, async (x) => (x === r ? "body ran" : "other"))).resolves.toBe("body ran");
    expect(r.cleanups).toBe(1);
  });

  it("cleans up after the body fails and rethrows the body's error, even when clean-up fails too", async () => {
    const r = resource(new Error("clean-up failed"));
    await expect(
      withCleanup(r, async () => {
        throw new Error("the assertion the test makes");
      }),
    ).rejects.toThrow("the assertion the test makes");
    expect(r.cleanups).toBe(1);
  });

  it("a clean-up failure after a passing body fails the test", async () => {
    const r = resource(new Error("clean-up failed"));
    await expect(withCleanup(r, async () => "ok")).rejects.toThrow("clean-up failed");
    expect(r.cleanups).toBe(1);
  });

  it("puts back what the body set before clean-up and closes what it started after, whatever happened", async () => {
    const steps: string[] = [];
    const r = { cleanup: async () => void steps.push("cleanup") };
    const around = {
      beforeCleanup: (x: typeof r) => {
        steps.push(x === r ? "before" : "other");
        throw new Error("undo failed");
      },
      afterCleanup: () => void steps.push("after"),
    };
    await expect(withCleanup(r, async () => "ok", around)).rejects.toThrow("undo failed");
    expect(steps).toEqual(["before", "cleanup", "after"]);
    steps.length = 0;
    await expect(
      withCleanup(
        r,
        async () => {
          throw new Error("the assertion the test makes");
        },
        around,
      ),
    ).rejects.toThrow("the assertion the test makes");
    expect(steps).toEqual(["before", "cleanup", "after"]);
  });
});
