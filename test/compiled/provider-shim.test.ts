// The `__provider` text is stored with every resource: it must stay small, hold no credential, and load in the
// dynamic-provider process. Installed packages store a bare require (test/engine/packed-package.test.ts); checkouts
// like this one store the shim tested here, which loads by package name where that resolves, else by absolute path.
// No pulumi CLI: these run on compiled JavaScript under node --test because the closure serializer needs Node's
// own module loader (scripts/run-tests.mjs runs test/compiled on every Node runtime of the run).
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { dynamicProvider } from "../../sdk/dynamic";
import { REPO_ROOT } from "../../scripts/lib/pulumi-cli";
import { assertProviderText } from "../support/provider-text";

type Loaded = { handler: () => pulumi.dynamic.ResourceProvider };
const requireFromString: (code: string, filename?: string) => Loaded = require("require-from-string");

async function serializeFrom(dir: string): Promise<string> {
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    const provider = dynamicProvider("ApmAgentKey", false);
    return (await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: false })).text;
  } finally {
    process.chdir(cwd);
  }
}

async function loadAndCheckFrom(dir: string, text: string): Promise<void> {
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    // As the dynamic-provider server does: configure first (it installs the implementation's methods), then check.
    const loaded = requireFromString(text, "").handler();
    await loaded.configure!({ config: { get: () => undefined, require: () => "" } } as never);
    const result = await loaded.check!({}, { name: "", privileges: [] });
    assert.ok(result.failures && result.failures.length > 0, "check ran the real implementation");
  } finally {
    process.chdir(cwd);
  }
}

test("the serialized provider shim is within the __provider limit and holds no credential", async (ctx) => {
  process.env.ELASTICSEARCH_PASSWORD = "never-in-provider-text";
  try {
    const text = await serializeFrom(REPO_ROOT);
    ctx.diagnostic(`__provider text: ${Buffer.byteLength(text)} bytes`);
    assertProviderText(text, ["never-in-provider-text"]);
    assert.match(text, /"pulumi-elastic-keys\/provider\/apm-agent-key"/, "portable entry by package name");
  } finally {
    delete process.env.ELASTICSEARCH_PASSWORD;
  }
});

test("the shim loads by package name in the project directory and by absolute path elsewhere", async () => {
  await loadAndCheckFrom(REPO_ROOT, await serializeFrom(REPO_ROOT));
  const elsewhere = mkdtempSync(path.join(os.tmpdir(), "pek-shim-"));
  const text = await serializeFrom(elsewhere);
  assert.ok(text.includes(path.join(REPO_ROOT, "dist")), "falls back to the absolute path");
  await loadAndCheckFrom(mkdtempSync(path.join(os.tmpdir(), "pek-other-")), text);
});

test("a shim whose implementation cannot be loaded fails every operation instead of skipping it", async () => {
  const text = (await serializeFrom(REPO_ROOT))
    .replace(/"pulumi-elastic-keys\/provider\/apm-agent-key"/, '"pulumi-elastic-keys/provider/nowhere"')
    .replace(/"\/[^"]*providers\/apm-agent-key\.js"/, '"/nonexistent/index.js"');
  const loaded = requireFromString(text, "").handler();
  await assert.rejects(
    loaded.configure!({ config: { get: () => undefined, require: () => "" } } as never),
    /nonexistent/,
  );
  // The server caches the provider before configure settles: later RPCs must not find delete/read missing.
  await assert.rejects(Promise.resolve(loaded.delete!("id", {})), /nonexistent/);
  await assert.rejects(Promise.resolve(loaded.read!("id", {})), /nonexistent/);
});

test("the serialized shim parses with the TypeScript 3.8 that Pulumi vendors (projects without their own typescript)", async () => {
  type Ts = {
    transpileModule(src: string, o: { reportDiagnostics: boolean }): { diagnostics?: { messageText: unknown }[] };
  };
  const vendored: Ts = require(
    path.join(
      path.dirname(require.resolve("@pulumi/pulumi/package.json")),
      "vendor",
      "typescript@3.8.3",
      "typescript.js",
    ),
  );
  const text = await serializeFrom(REPO_ROOT);
  const { diagnostics = [] } = vendored.transpileModule(text, { reportDiagnostics: true });
  assert.deepEqual(
    diagnostics.map((d) => d.messageText),
    [],
  );
  // The guard can fail: syntax TypeScript 3.8 does not know is reported.
  assert.notEqual(vendored.transpileModule("let t; t ??= 1;", { reportDiagnostics: true }).diagnostics?.length ?? 0, 0);
});

test("the provider modules load the HTTP client only for the first request (a no-change preview makes none)", () => {
  // Valid inputs for each, so check runs its whole path.
  const inputs = {
    "apm-role": { name: "r" },
    "apm-agent-key": { name: "a", privileges: ["event:write"] },
    "enrollment-api-key": { policyId: "p" },
    "cross-cluster-api-key": { name: "c", access: { search: [{ names: ["logs-*"] }] } },
  };
  const entries = Object.entries(inputs).map(([folder, news]) => [
    path.join(REPO_ROOT, "dist", "sdk", "generated", "providers", `${folder}.js`),
    { ...news, __logicalName: folder },
  ]);
  const script = `
    const entries = ${JSON.stringify(entries)};
    const mods = entries.map(([e]) => require(e));
    mods[0].configure({ config: { get: () => undefined } });
    Promise.all(mods.map((m, i) => m.check({}, entries[i][1]))).then((r) => {
      if (!r.every((x) => x.inputs)) throw new Error("check failed: " + JSON.stringify(r));
      console.log(Object.keys(require.cache).filter((k) => k.includes("undici")).length);
    });
  `;
  const env = {
    ...process.env,
    ELASTICSEARCH_ENDPOINTS: "http://127.0.0.1:1",
    KIBANA_ENDPOINT: "http://127.0.0.1:1",
    ELASTICSEARCH_USERNAME: "u",
    ELASTICSEARCH_PASSWORD: "p",
  };
  const undiciModules = execFileSync(process.execPath, ["-e", script], { env, encoding: "utf8" }).trim();
  assert.equal(undiciModules, "0", "undici was loaded by loading or checking a resource");
});
