// `npm run package-python`: the plugin's Python SDK (plugin/sdks/python) as a wheel and an sdist, the files a
// release publishes to PyPI, under dist/python-package/. Built from a copy with setuptools' PEP 517 backend in the
// set-up's virtualenv (scripts/ensure-python-env.sh), so nothing (build/, *.egg-info) is written into the checkout.
// The version is the schema's, which is the plugin's: a wheel of another version is refused.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "./lib/pulumi-cli";

export interface PythonPackage {
  wheel: string;
  sdist: string;
  version: string;
}

const ensurePython = (): string =>
  execFileSync("bash", [path.join(REPO_ROOT, "scripts", "ensure-python-env.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  })
    .trim()
    .split("\n")
    .pop()!;

/** setuptools' own build hook, as `python -m build` calls it (without needing that package). */
const build = (kind: "sdist" | "wheel") => `import sys, setuptools.build_meta as b; b.build_${kind}(sys.argv[1])`;

export function packagePython(outDir = path.join(REPO_ROOT, "dist", "python-package")): PythonPackage {
  const { version } = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
  const python = ensurePython();
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  // Each from its own fresh copy: a build leaves its work folders in the source, which the next one would take for
  // packages.
  for (const kind of ["sdist", "wheel"] as const) {
    const source = mkdtempSync(path.join(os.tmpdir(), "pek-python-build-"));
    try {
      cpSync(path.join(REPO_ROOT, "plugin", "sdks", "python"), source, { recursive: true });
      // pyproject.toml names the README beside it; the generator writes it into the package folder (Pulumi's own
      // provider builds copy it up the same way).
      cpSync(path.join(source, "pulumi_elastic_keys", "README.md"), path.join(source, "README.md"));
      execFileSync(python, ["-c", build(kind), outDir], { cwd: source, stdio: ["ignore", "ignore", "pipe"] });
    } catch (e) {
      throw new Error(`package-python: the ${kind} build failed:\n${String((e as { stderr?: Buffer }).stderr)}`);
    } finally {
      rmSync(source, { recursive: true, force: true });
    }
  }
  const built = readdirSync(outDir);
  const wheel = built.find((f) => f === `pulumi_elastic_keys-${version}-py3-none-any.whl`);
  const sdist = built.find((f) => f === `pulumi_elastic_keys-${version}.tar.gz`);
  if (!wheel || !sdist)
    throw new Error(`package-python: expected version ${version} (the plugin's), built ${built.join(", ")}`);
  return { wheel: path.join(outDir, wheel), sdist: path.join(outDir, sdist), version };
}

if (require.main === module) {
  const { wheel, sdist } = packagePython(process.argv[2]);
  process.stdout.write(`${wheel}\n${sdist}\ninstall: pip install ${wheel}\n`);
}
