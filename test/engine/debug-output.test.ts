// Keys stay out of `--debug` output and out of the engine's event stream. Pulumi's Node.js runtime logs every
// RegisterResource response at debug level, secret outputs in plaintext, and the event stream (what `--event-log`
// writes and the Automation API's onEvent receives) carries debug messages even without --debug (sdk/debug-log.ts).
// Engine logs at -v=8 (flowed to the providers) are clean too; from -v=9 the engine prints every value it marshals,
// any provider's secrets included (README, Secrets). The CLI's automatic logs (PULUMI_HOME/logs) receive every record
// up to -v=10 unredacted, whatever -v says: gzip-compressed while no stack's secrets manager is known (searched like
// everything else), encrypted with the stack's secrets provider once it is (decrypted here with `pulumi logs decrypt`
// and searched: keys may appear only in the engine's -v=9 property logs, as they do in state, encrypted).
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { gunzipSync } from "node:zlib";
import type { EngineEvent, LocalWorkspace } from "@pulumi/pulumi/automation";
import { ApmAgentKey, ApmRole, CrossClusterApiKey, EnrollmentApiKey } from "../../sdk";
import { OMITTED_RESPONSE } from "../../sdk/debug-log";
import { leaked, createAgentPolicy } from "../support/elastic-checks";
import { secretValues } from "../support/outputs";
import { pulumiCommand, type TestStack } from "../../scripts/lib/stack";
import { useTarget, unique } from "../support/target";
import { withStack } from "../support/engine";

const t = useTarget({ before, after });

/** Pulumi's encrypted log format (pkg/engine/encryptedlog): files start with these four bytes. */
const ENCRYPTED_LOG_MAGIC = "PLOG";
/** The engine's -v=9 logs of the property values it marshals: Pulumi writes them, secrets included, unredacted. */
const PROPERTY_LOG = /^(Marshaling|Unmarshaling) property for RPC\[/;

/** An encrypted automatic log of the stack, decrypted by the CLI itself with the stack's secrets provider. */
async function decryptLog(s: TestStack, file: string): Promise<string> {
  const pulumi = await pulumiCommand();
  const { stdout } = await promisify(execFile)(pulumi.command, ["logs", "decrypt", file, "--stack", s.stack.name], {
    cwd: (s.stack.workspace as LocalWorkspace).workDir,
    env: { ...process.env, ...s.stack.workspace.envVars, PULUMI_HOME: s.stack.workspace.pulumiHome! },
    maxBuffer: 256 * 1024 * 1024,
  });
  return stdout;
}

describe("debug output and engine events", () => {
  test("up, preview, refresh and destroy with --debug -v=8 --logflow print no key; our responses are omitted from debug logs", async (ctx) => {
    const policyId = await createAgentPolicy(t, unique("dbg"));
    await withStack({
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
    }).run(async (s) => {
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

      for (const op of ["preview", "refresh", "destroy"] as const) {
        events = [];
        const r = await s.stack[op]({ ...verbose, onEvent });
        seen[`${op} output`] = r.stdout + r.stderr;
        seen[`${op} events`] = JSON.stringify(events);
      }
      // The CLI's automatic logs (PULUMI_HOME/logs), each decoded in the format it is written in.
      const logs = path.join(s.stack.workspace.pulumiHome!, "logs");
      const files = readdirSync(logs);
      let encrypted = 0;
      /** Where a key was found: in a text searched, or in an encrypted log's record that should not hold one. */
      const found: string[] = [];
      for (const file of files) {
        const raw = readFileSync(path.join(logs, file));
        if (raw[0] === 0x1f && raw[1] === 0x8b) {
          seen[`log file ${file} (gzip)`] = gunzipSync(raw).toString("utf8");
          ctx.diagnostic(`${file}: gzip, decoded and searched`);
          continue;
        }
        assert.equal(
          raw.subarray(0, 4).toString("latin1"),
          ENCRYPTED_LOG_MAGIC,
          `${file}: neither gzip nor Pulumi's encrypted log format, so it cannot be searched`,
        );
        encrypted++;
        // Encrypted only where the stack's secrets manager is known: the stack's own logs.
        assert.ok(
          file.startsWith(`organization+pek-engine-test+${s.stack.name}-`),
          `${file}: encrypted, not the stack's`,
        );
        assert.deepEqual(leaked(raw.toString("latin1"), secrets), [], `${file}: encrypted at rest`);
        const records = (await decryptLog(s, path.join(logs, file))).split("\n").filter(Boolean);
        let withKey = 0;
        for (const line of records) {
          if (leaked(line, secrets).length === 0) continue;
          withKey++;
          const record = JSON.parse(line) as { msg?: string; v?: number };
          if (!PROPERTY_LOG.test(record.msg ?? "") || record.v !== 9)
            found.push(
              `log file ${file} (decrypted), a record that is not the engine's property log: ${line.slice(0, 200)}`,
            );
        }
        ctx.diagnostic(
          `${file}: encrypted with the stack's secrets provider; decrypted with pulumi logs decrypt and searched: ${records.length} records, ${withKey} holding a key`,
        );
      }
      assert.ok(
        files.length > encrypted && encrypted > 0,
        `the CLI wrote gzip and encrypted log files: ${files.join(", ")}`,
      );
      for (const [where, text] of Object.entries(seen)) if (leaked(text, secrets).length > 0) found.push(where);
      assert.deepEqual(found, [], "where a key was found");
      assert.equal(ours.length, 4, "one debug message per resource");
      for (const m of ours) assert.ok(m.trimEnd().endsWith(OMITTED_RESPONSE), m.slice(0, 200));
    });
  });
});
