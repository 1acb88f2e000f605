// The engine tests' server-side checks (test/support/elastic-checks.ts) fail when their lookup fails: "no live key"
// and "no longer authenticates" never pass on a lookup that got no real answer, and a check that needs the
// emulator's request log is reported skipped against a real stack, never passed.
import type { TestContext } from "node:test";
import { describe, expect, it } from "vitest";
import type { Emulator, RequestLogEntry } from "../../emulator";
import {
  activeEnrollmentKeys,
  assertNothingWritten,
  authenticatesAs,
  keyById,
  liveKeysNamed,
  NEEDS_REQUEST_LOG,
} from "../support/elastic-checks";
import type { ElasticTarget, Reply } from "../support/target";

/** A target whose every lookup gets the given answer; with a request log, it stands for the emulator. */
function answering(reply: Reply, log?: Partial<RequestLogEntry>[]): ElasticTarget {
  const emulator = log && ({ admin: { requests: () => log as RequestLogEntry[] } } as unknown as Emulator);
  return { es: async () => reply, kibana: async () => reply, emulator } as unknown as ElasticTarget;
}

const esError = (status: number, type: string) => ({ error: { type, reason: "x" }, status });

describe("lookups that fail fail the check", () => {
  it("a 500 or 503 from the key lookup is an error naming the status and body, not 'no live key'", async () => {
    await expect(liveKeysNamed(answering({ status: 503, body: esError(503, "unavailable") }), "k")).rejects.toThrow(
      /GET \/_security\/api_key\?name=k answered HTTP 503, so the check cannot be made: .*unavailable/,
    );
    await expect(keyById(answering({ status: 500, body: "boom" }), "id1")).rejects.toThrow(/HTTP 500.*"boom"/);
  });

  it("only Elasticsearch's own 404 for an unknown id means 'no such key'; a proxy's 404 is an error", async () => {
    expect(await keyById(answering({ status: 404, body: { api_keys: [] } }), "id1")).toBeUndefined();
    await expect(keyById(answering({ status: 404, body: "<html>Not Found</html>" }), "id1")).rejects.toThrow(
      /HTTP 404/,
    );
  });

  it("'no longer authenticates' only on Elasticsearch's own 401; any other answer is an error", async () => {
    const refused = answering({ status: 401, body: esError(401, "security_exception") });
    expect(await authenticatesAs(refused, "encoded")).toBeUndefined();
    await expect(authenticatesAs(answering({ status: 502, body: "bad gateway" }), "e")).rejects.toThrow(/HTTP 502/);
    await expect(authenticatesAs(answering({ status: 401, body: "sign in" }), "e")).rejects.toThrow(/HTTP 401/);
  });

  it("Fleet's list answering anything but 200 is an error, not 'no active key'", async () => {
    await expect(activeEnrollmentKeys(answering({ status: 500, body: { message: "x" } }), "p")).rejects.toThrow(
      /enrollment_api_keys.*HTTP 500/,
    );
  });
});

describe("checks on the emulator's request log", () => {
  /** A stand-in for node:test's context that records its subtests and runs the ones not skipped. */
  function context() {
    const subtests: { name: string; skip: string | false; error?: unknown }[] = [];
    const diagnostics: string[] = [];
    const ctx = {
      diagnostic: (m: string) => void diagnostics.push(m),
      test: async (name: string, opts: { skip: string | false }, fn: () => void) => {
        const entry: (typeof subtests)[number] = { name, skip: opts.skip };
        subtests.push(entry);
        if (opts.skip === false) {
          try {
            fn();
          } catch (err) {
            entry.error = err;
          }
        }
      },
    } as unknown as Pick<TestContext, "test" | "diagnostic">;
    return { ctx, subtests, diagnostics };
  }

  it("against a real stack, 'nothing was written' is reported skipped with the reason, never passed", async () => {
    const { ctx, subtests, diagnostics } = context();
    await assertNothingWritten(ctx, answering({ status: 200, body: {} }));
    expect(subtests).toEqual([{ name: "nothing was written", skip: NEEDS_REQUEST_LOG }]);
    expect(NEEDS_REQUEST_LOG).toMatch(/^cannot be checked against a real stack/);
    expect(diagnostics).toEqual([`nothing was written: ${NEEDS_REQUEST_LOG}`]);
  });

  it("on the emulator, a write in the log fails it; reads, privilege checks and searches do not", async () => {
    const { ctx, subtests } = context();
    const log = [
      { method: "GET", path: "/_security/role/r" },
      { method: "POST", path: "/_security/user/_has_privileges" },
      { method: "POST", path: "/_security/_query/api_key" },
      { method: "PUT", path: "/_security/role/r" },
    ];
    await assertNothingWritten(ctx, answering({ status: 200, body: {} }, log));
    expect(String(subtests[0].error)).toMatch(/PUT \/_security\/role\/r/);
    const clean = context();
    await assertNothingWritten(clean.ctx, answering({ status: 200, body: {} }, log.slice(0, 3)));
    expect(clean.subtests).toEqual([{ name: "nothing was written", skip: false }]);
  });
});
