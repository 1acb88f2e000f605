// This package as users get it: `npm pack`, then `npm install` of the tarball into a fresh project outside the
// repository. The packed-package test and the benchmark both run from such a project.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "./pulumi-cli";

export interface PackedProject {
  /** The temp dir holding the tarball and the project; remove it when done. */
  work: string;
  /** The project: package.json and node_modules with pulumi-elastic-keys installed from the tarball. */
  project: string;
}

/**
 * `pulumiFrom: "registry"` installs @pulumi/pulumi like a user would (its own copy). `"repository"` links this
 * repository's copy instead, so code in this process can load the installed package and share one Pulumi runtime
 * with the Automation API it drives (two copies would each keep their own runtime state).
 */
export function installPackedPackage(pulumiFrom: "registry" | "repository"): PackedProject {
  const work = mkdtempSync(path.join(os.tmpdir(), "pek-packed-"));
  const tarball = execFileSync("npm", ["pack", "--silent", "--pack-destination", work], {
    cwd: REPO_ROOT,
    encoding: "utf8",
  })
    .trim()
    .split("\n")
    .pop()!;
  const project = path.join(work, "user-project");
  mkdirSync(project);
  const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
  };
  const pulumi =
    pulumiFrom === "registry"
      ? pkg.dependencies["@pulumi/pulumi"]
      : `file:${path.join(REPO_ROOT, "node_modules", "@pulumi", "pulumi")}`;
  writeFileSync(
    path.join(project, "package.json"),
    JSON.stringify({
      name: "packed-user",
      private: true,
      dependencies: { "pulumi-elastic-keys": `file:${path.join(work, tarball)}`, "@pulumi/pulumi": pulumi },
    }),
  );
  execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: project,
    stdio: ["ignore", "inherit", "inherit"],
  });
  return { work, project };
}
