// Bad input fails at preview (`check`), names the resource, the field and the fix, and nothing is written.
import { after, before, describe, test, type TestContext } from "node:test";
import * as assert from "node:assert/strict";
import { ApmAgentKey, ApmRole } from "../../sdk";
import { assertNothingWritten } from "../support/elastic-checks";
import { createTestStack, type TestStack } from "../../scripts/lib/stack";
import { startTarget, type ElasticTarget } from "../support/target";
import { withStack } from "../support/engine";

let t: ElasticTarget;
let s: TestStack;
let build: () => void = () => {};
before(async () => {
  t = await startTarget();
  s = await createTestStack({ env: t.providerEnv(), program: async () => build() });
});
after(async () => {
  await s.cleanup();
  await t.stop();
});

async function previewFails(ctx: TestContext, program: () => void, expected: RegExp[]): Promise<void> {
  build = program;
  t.emulator?.admin.clearRequests();
  await assert.rejects(s.preview(), (e: Error) => {
    for (const re of expected) assert.match(e.message, re);
    return true;
  });
  await assertNothingWritten(ctx, t);
}

const key = (args: Record<string, unknown>) => () =>
  void new ApmAgentKey("bad-key", { name: "k", privileges: ["event:write"], ...args } as never);
const role = (args: Record<string, unknown>) => () => void new ApmRole("bad-role", { name: "r", ...args } as never);

describe("validation at preview", () => {
  const cases: [string, () => void, RegExp[]][] = [
    ["empty agent key name", key({ name: "" }), [/ApmAgentKey resource 'bad-key'/, /name: must not be empty/]],
    [
      "whitespace-padded agent key name",
      key({ name: " k " }),
      [/name: must not begin or end with whitespace: trim it/],
    ],
    ["agent key name starting with _", key({ name: "_k" }), [/name: must not begin with an underscore/]],
    ["agent key name over 256 characters", key({ name: "k".repeat(257) }), [/name: is longer than the 256 characters/]],
    [
      "unknown privilege",
      key({ privileges: ["event:read"] }),
      [/privileges\.0: must each be one of config_agent:read, event:write/],
    ],
    ["empty privilege list", key({ privileges: [] }), [/privileges: must list at least one of/]],
    ["missing privilege list", key({ privileges: undefined }), [/privileges: is required/]],
    ["misspelled input", key({ privilege: ["event:write"] }), [/unrecognized key.*privilege/i]],
    [
      "agent key name of 200 emoji (400 UTF-16 code units, as Elasticsearch counts)",
      key({ name: "😀".repeat(200) }),
      [/name: is longer than the 256 characters \(UTF-16 code units\)/],
    ],
    [
      "empty role spaces",
      role({ spaces: [] }),
      [/ApmRole resource 'bad-role'/, /spaces: must list at least one Kibana space id/],
    ],
    ["reserved role name", role({ name: "superuser" }), [/name: is a reserved built-in role name/]],
    ["role metadata key starting with _", role({ metadata: { _x: 1 } }), [/metadata: keys must not start with "_"/]],
  ];
  for (const [what, program, expected] of cases)
    test(`${what} fails at preview`, (ctx) => previewFails(ctx, program, expected));

  test("missing endpoint settings fail at preview and name both the config key and the env var", async () => {
    await withStack({
      env: { ELASTICSEARCH_USERNAME: "u", ELASTICSEARCH_PASSWORD: "p" },
      program: async () => void new ApmAgentKey("k", { name: "k", privileges: ["event:write"] }),
    }).run(async (bare) => {
      await assert.rejects(
        bare.preview(),
        /no Elasticsearch endpoint is configured[\s\S]*elastic:elasticsearchEndpoints[\s\S]*ELASTICSEARCH_ENDPOINTS/,
      );
    });
  });

  test("duplicate privileges are not an error: they are normalised away", async () => {
    build = key({ privileges: ["event:write", "event:write"] });
    const preview = await s.preview();
    assert.equal(preview.changeSummary.create, 2, "the stack and the key, nothing refused");
  });
});
