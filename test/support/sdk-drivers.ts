// The Python and Go programs of test/sdk/, made runnable the way their users would: the Python SDK's wheel
// (`npm run package-python`) pip-installed into a site dir next to the set-up's virtualenv (pulumi 3.259.0 from
// PyPI), the Go program built against the generated Go module (its published path) through a `replace` directive
// to this checkout. Both are cached by the hash of what they are made from.
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { filesBelow, GO_PULUMI_SDK } from "../../scripts/generate";
import { GO_MODULE } from "../../scripts/generate/publishing";
import { packagePython } from "../../scripts/package-python";
import { REPO_ROOT } from "../../scripts/lib/pulumi-cli";

export interface Driver {
  command: string;
  args: string[];
  env: Record<string, string>;
}

const CACHE = process.env.PULUMI_ELASTIC_KEYS_CACHE ?? path.join(os.homedir(), ".cache", "pulumi-elastic-keys");

/** A short hash of every file below the given repository folders. */
function hashOf(...dirs: string[]): string {
  const h = createHash("sha256");
  for (const dir of dirs)
    for (const f of filesBelow(path.join(REPO_ROOT, dir)))
      h.update(`${dir}/${f}\0`).update(readFileSync(path.join(REPO_ROOT, dir, f)));
  return h.digest("hex").slice(0, 12);
}

/** Makes `target` once: `make` writes into a fresh temp dir that is renamed into place when it succeeds. */
function cached(target: string, make: (dir: string) => void): string {
  if (existsSync(target)) return target;
  mkdirSync(path.dirname(target), { recursive: true });
  const tmp = mkdtempSync(`${target}.tmp-`);
  try {
    make(tmp);
    renameSync(tmp, target);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return target;
}

const ensure = (script: string): string =>
  execFileSync("bash", [path.join(REPO_ROOT, "scripts", script)], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  })
    .trim()
    .split("\n")
    .pop()!;

export function pythonDriver(): Driver {
  const python = ensure("ensure-python-env.sh");
  // The SDK installed as users install it: the wheel `npm run package-python` builds, into its own site dir.
  const site = cached(path.join(CACHE, `python-sdk-wheel-${hashOf("plugin/sdks/python")}`), (dir) => {
    const out = mkdtempSync(path.join(os.tmpdir(), "pek-python-wheel-"));
    try {
      const { wheel } = packagePython(out);
      execFileSync(python, ["-m", "pip", "install", "--quiet", "--no-deps", "--target", dir, wheel], {
        stdio: ["ignore", "inherit", "inherit"],
      });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
  return { command: python, args: [path.join(REPO_ROOT, "test/sdk/python/stack.py")], env: { PYTHONPATH: site } };
}

export function goDriver(): Driver {
  const dir = cached(path.join(CACHE, `go-sdk-driver-${hashOf("plugin/sdks/go", "test/sdk/go")}`), (out) => {
    const work = mkdtempSync(path.join(os.tmpdir(), "pek-go-driver-"));
    try {
      writeFileSync(path.join(work, "main.go"), readFileSync(path.join(REPO_ROOT, "test/sdk/go/main.go")));
      writeFileSync(
        path.join(work, "go.mod"),
        [
          "module pek-go-sdk-driver",
          "",
          "go 1.25",
          "",
          `require github.com/pulumi/pulumi/sdk/v3 ${GO_PULUMI_SDK}`,
          `require ${GO_MODULE} v0.0.0`,
          `replace ${GO_MODULE} => ${path.join(REPO_ROOT, "plugin/sdks/go")}`,
          "",
        ].join("\n"),
      );
      const env = { ...process.env, GOTOOLCHAIN: "local", GOFLAGS: "-mod=mod", CGO_ENABLED: "0" };
      execFileSync("go", ["build", "-o", path.join(out, "driver"), "."], {
        cwd: work,
        env,
        stdio: ["ignore", "inherit", "inherit"],
      });
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
  return { command: path.join(dir, "driver"), args: [], env: {} };
}

export interface DriverResult {
  outputs: Record<string, { value: unknown; secret: boolean }>;
  /** Everything the program and the engine printed on stderr (checked for leaks). */
  stderr: string;
}

/** Runs one phase: the request as JSON on stdin, one JSON line back on stdout. */
export function runDriver(driver: Driver, request: Record<string, unknown>): Promise<DriverResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(driver.command, driver.args, {
      env: { ...process.env, ...driver.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`${path.basename(driver.command)} exited ${code}:\n${stderr}${stdout}`));
      const last = stdout.trim().split("\n").pop() ?? "";
      try {
        resolve({ ...(JSON.parse(last) as { outputs: DriverResult["outputs"] }), stderr });
      } catch {
        reject(new Error(`no JSON result from ${path.basename(driver.command)}:\n${stdout}${stderr}`));
      }
    });
    child.stdin.end(JSON.stringify(request));
  });
}
