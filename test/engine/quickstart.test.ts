// `npm start -- --keep` and the commands it prints, pasted as printed into a fresh shell (no env of the quickstart's
// own): the CLI on PATH, the env with the emulator's endpoints and password, the stack selected, its secret output,
// refresh, preview with the stack's config, destroy. Ctrl-C then removes the kept stack, which git ignores anyway.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { pulumiCliPath, REPO_ROOT } from "../../scripts/lib/pulumi-cli";

const BEGIN = "# ---- paste from here ----";
const END = "# ---- to here ----";

/** The machine's env without anything the quickstart would have set: a new terminal's. */
const freshShellEnv = (): NodeJS.ProcessEnv =>
  Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(ELASTICSEARCH|KIBANA|FLEET|PULUMI)_/.test(k)),
  ) as NodeJS.ProcessEnv;

test("npm start -- --keep: every command it prints works when pasted, and Ctrl-C leaves nothing behind", async () => {
  const quickstart = spawn(process.execPath, [path.join(REPO_ROOT, "dist", "scripts", "quickstart.js"), "--keep"], {
    cwd: REPO_ROOT,
    env: { ...freshShellEnv(), PULUMI_CLI_PATH: pulumiCliPath() },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let printed = "";
  const exited = new Promise<number | null>((resolve) => quickstart.on("exit", resolve));
  try {
    await new Promise<void>((resolve, reject) => {
      quickstart.stdout.on("data", (d: Buffer) => {
        printed += d.toString();
        if (printed.includes("Ctrl-C stops the emulator")) resolve();
      });
      void exited.then((code) => reject(new Error(`the quickstart exited ${code} early:\n${printed}`)));
    });
    const hints = printed.slice(printed.indexOf(BEGIN) + BEGIN.length, printed.indexOf(END)).trim();
    assert.match(hints, /^export ELASTICSEARCH_PASSWORD=/m, "the password is shown");
    const endpoint = /^export ELASTICSEARCH_ENDPOINTS=(\S+)$/m.exec(hints)?.[1];
    assert.ok(endpoint, hints);

    // Pasted into bash as printed; each command's output follows a marker so it can be told apart.
    const script = hints
      .split("\n")
      .map((line) => `echo "### ${line.replace(/["$`\\]/g, "\\$&")}"\n${line}`)
      .join("\n");
    const out = execFileSync("bash", ["-euo", "pipefail", "-c", script], {
      cwd: REPO_ROOT,
      env: freshShellEnv(),
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 * 1024 * 1024,
    });
    const section = (cmd: string) => out.split(`### ${cmd}`)[1]?.split("\n### ")[0] ?? "";
    const encoded = section("pulumi stack output agentKeyEncoded --show-secrets").trim();
    const keyId = /agentKeyId\s+"([^"]+)"/.exec(printed)?.[1];
    assert.match(printed, /proof: the agent key authenticates/);
    assert.equal(Buffer.from(encoded, "base64").toString().split(":")[0], keyId, "the secret shown is the agent key");
    assert.match(section("pulumi refresh --yes"), /5 unchanged/);
    assert.match(out, /preview: \{"same":5\}/, "preview ran with the stack's config (policyId) and found no change");
    assert.match(section("pulumi destroy --yes"), /5 deleted/);
    const after = await fetch(`${endpoint}/_security/_authenticate`, {
      headers: { authorization: `ApiKey ${encoded}` },
    });
    assert.equal(after.status, 401, "destroy invalidated it, through the printed endpoint and credentials");

    const ignored = execFileSync(
      "git",
      ["check-ignore", ".quickstart/backend", "examples/quickstart/Pulumi.dev.yaml"],
      { cwd: REPO_ROOT, encoding: "utf8" },
    );
    assert.equal(ignored.trim().split("\n").length, 2, "git ignores the kept stack's state and config");
  } finally {
    quickstart.kill("SIGINT");
    assert.equal(await exited, 0);
  }
  assert.equal(existsSync(path.join(REPO_ROOT, ".quickstart")), false, ".quickstart/ removed");
  assert.equal(existsSync(path.join(REPO_ROOT, "examples", "quickstart", "Pulumi.dev.yaml")), false);
});

test("README: the line that puts the built CLI and the YAML host on PATH works as printed", () => {
  const readme = readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
  const line = readme.split("\n").find((l) => l.startsWith("export PATH=") && l.includes("ensure-yaml-host.sh"));
  assert.ok(line, "the README has the line");
  const out = execFileSync(
    "bash",
    ["-euo", "pipefail", "-c", `${line}\ncommand -v pulumi\ncommand -v pulumi-language-yaml\npulumi version`],
    { cwd: REPO_ROOT, env: { ...freshShellEnv(), PULUMI_CLI_PATH: pulumiCliPath() }, encoding: "utf8" },
  ).split("\n");
  assert.equal(path.dirname(out[0]), path.dirname(out[1]), "the CLI and the YAML host side by side, first on PATH");
  assert.equal(out[0], pulumiCliPath());
  assert.match(out[2], /^v3\.\d+\.\d+/);
});
