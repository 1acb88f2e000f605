// The SDK's resource constructor turns stack-trace capture off while Pulumi builds the resource (sdk/resource.ts:
// Pulumi captures four traces per output property for its promise-leak report). What users rely on must survive:
// the program's own Error.stackTraceLimit, the source position Pulumi records in the state, and a stack on errors
// thrown from the constructor.
import { after, before, test } from "node:test";
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { ApmRole } from "../../sdk";
import { useTarget, unique } from "../support/target";
import { withStack } from "../support/engine";

const t = useTarget({ before, after });

interface StoredResource {
  urn: string;
  sourcePosition?: string;
}

test("constructing a resource keeps the program's stack-trace limit, the state's source position and error stacks", async () => {
  const name = unique("trace");
  await withStack({
    env: t.providerEnv(),
    program: async () => {
      Error.stackTraceLimit = 23;
      const role = new ApmRole("traced", { name });
      const limitAfterCreate = Error.stackTraceLimit;
      // A program's own stack formatter (source maps under ts-node) still formats what Pulumi records.
      Error.prepareStackTrace = (err: Error, sites: NodeJS.CallSite[]) =>
        [
          String(err),
          ...sites.map(
            (c) =>
              `    at ${c.getFunctionName() ?? "<anonymous>"} (/mapped/${path.basename(c.getFileName() ?? "")}:${c.getLineNumber()}:${c.getColumnNumber()})`,
          ),
        ].join("\n");
      new ApmRole("mapped", { name: `${name}-mapped` });
      delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
      let thrownStack = "";
      try {
        new ApmRole("", { name: `${name}-x` }); // Pulumi refuses an empty resource name synchronously
      } catch (err) {
        thrownStack = err instanceof Error ? (err.stack ?? "") : String(err);
      }
      return { role: role.name, limitAfterCreate, limitAfterThrow: Error.stackTraceLimit, thrownStack };
    },
  }).run(async (s) => {
    const up = await s.up();
    assert.equal(up.outputs.limitAfterCreate.value, 23);
    assert.equal(up.outputs.limitAfterThrow.value, 23);
    const thrown = String(up.outputs.thrownStack.value);
    assert.match(thrown, /resource name/i, "Pulumi's own message");
    assert.match(thrown, /\n\s+at /, `the error has a stack:\n${thrown}`);

    const resources = (JSON.parse(await s.exportText()) as { resources: StoredResource[] }).resources;
    const position = (logical: string) => resources.find((r) => r.urn.endsWith(`::${logical}`))?.sourcePosition ?? "";
    // The program's line, not the SDK's base class.
    assert.match(position("traced"), /\/test\/engine\/sdk-resource\.test\.js#\d+,\d+$/);
    assert.match(position("mapped"), /\/mapped\/sdk-resource\.test\.js#\d+,\d+$/);
  });
});
