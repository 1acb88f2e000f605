// Keys stay out of `--debug` output and out of the engine's event stream. Pulumi's Node.js runtime logs every
// RegisterResource response at debug level, secret outputs in plaintext, and the event stream (what `--event-log`
// writes and the Automation API's onEvent receives) carries debug messages even without --debug (sdk/debug-log.ts).
// Engine logs at -v=8 (flowed to the providers) and the CLI's own log files are clean too; from -v=9 the engine prints every value it marshals,
// any provider's secrets included (README, Secrets).
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { ApmAgentKey, ApmRole, CrossClusterApiKey, EnrollmentApiKey } from "../../sdk";
import { OMITTED_RESPONSE } from "../../sdk/debug-log";
import { leaked } from "../support/elastic-checks";
import { secretValues } from "../support/outputs";
import { createTestStack } from "../../scripts/lib/stack";
import { useTarget, unique } from "../support/target";

const t = useTarget({ before, after });

describe("debug output and engine events", () => {
  test("up, preview, refresh and destroy with --debug -v=8 --logflow print no key; our responses are omitted from debug logs", async () => {
    const policy = await t.kibana("POST", "/api/fleet/agent_policies", { name: unique("dbg"), namespace: "default" });
    const policyId = (policy.body as { item: { id: string } }).item.id;
    const s = await createTestStack({
      env: t.providerEnv(),
      program: async () => {
        const agent = new ApmAgentKey("agent", { name: unique("dbg-agent"), privileges: ["event:write"] });
        const enroll = new EnrollmentApiKey("enroll", { policyId });
        const cc = new CrossClusterApiKey("cc", {
          name: unique("dbg-cc"),
          access: { search: [{ names: ["logs-*"] }] },
        });
        new ApmRole("role", { name: unique("dbg-role") });
        return {
          agentKey: agent.apiKey,
          agentEncoded: agent.encoded,
          token: enroll.apiKey,
          ccKey: cc.apiKey,
          ccEncoded: cc.encoded,
        };
      },
    });
    try {
      const verbose = { debug: true, logVerbosity: 8, logToStdErr: true, logFlow: true };
      let events: EngineEvent[] = [];
      const onEvent = (e: EngineEvent) => events.push(e);
      const debugMessages = () =>
        // Typed without "debug", which the engine sends all the same.
        events.flatMap((e) =>
          (e.diagnosticEvent?.severity as string) === "debug" ? [e.diagnosticEvent!.message] : [],
        );

      const up = await s.stack.up({ ...verbose, onEvent });
      const secrets = [...secretValues(up.outputs), t.superuser.password];
      assert.equal(secrets.length, 6, "five secret outputs and the credential");
      const seen: Record<string, string> = { "up output": up.stdout + up.stderr, "up events": JSON.stringify(events) };
      // The runtime still logs each of our registrations, without the response (so this test would see a leak).
      const ours = debugMessages().filter((m) =>
        /RegisterResource RPC finished: resource:(agent|enroll|cc|role)\[/.test(m),
      );
      assert.equal(ours.length, 4, "one debug message per resource");
      for (const m of ours) assert.ok(m.trimEnd().endsWith(OMITTED_RESPONSE), m.slice(0, 200));

      for (const op of ["preview", "refresh", "destroy"] as const) {
        events = [];
        const r = await s.stack[op]({ ...verbose, onEvent });
        seen[`${op} output`] = r.stdout + r.stderr;
        seen[`${op} events`] = JSON.stringify(events);
      }
      // The CLI's own log files (PULUMI_HOME/logs): gzip, or encrypted once a stack's secrets manager is known.
      const logs = path.join(s.stack.workspace.pulumiHome!, "logs");
      for (const file of readdirSync(logs)) {
        const raw = readFileSync(path.join(logs, file));
        seen[`log file ${file}`] =
          raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw).toString() : raw.toString("latin1");
      }
      assert.ok(
        Object.keys(seen).some((k) => k.startsWith("log file ")),
        "the CLI wrote log files",
      );
      for (const [where, text] of Object.entries(seen)) assert.deepEqual(leaked(text, secrets), [], where);
    } finally {
      await s.cleanup();
    }
  });
});
