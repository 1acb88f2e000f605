// This package as users get it: `npm pack`, then `npm install` of the tarball into a fresh project outside the
// repository. The packed-package tests and the benchmark run from such a project.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
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
 * Where the project's @pulumi/pulumi comes from:
 * - `"registry"`: the range this package declares, as a user's `npm install` resolves it;
 * - a version such as `"3.139.0"`: a project that already pins that @pulumi/pulumi;
 * - `"repository"`: a link to this repository's copy, so code in this process can load the installed package and
 *   share one Pulumi runtime with the Automation API it drives (two copies would each keep their own runtime state).
 */
export type PulumiSource = "registry" | "repository" | string;

/** `npm pack` of a directory (prepack builds the package first), into `dest`; returns the tarball's path. */
export function packTarball(from: string, dest: string): string {
  const name = execFileSync("npm", ["pack", "--silent", "--pack-destination", dest], { cwd: from, encoding: "utf8" })
    .trim()
    .split("\n")
    .pop()!;
  return path.join(dest, name);
}

/**
 * `npm pack` in a clean clone of this repository's committed HEAD (no dist/, nothing untracked): what a release from
 * CI ships. The clone borrows this repository's node_modules for the build tools instead of installing them again.
 */
export function packCleanClone(work: string): string {
  if (!existsSync(path.join(REPO_ROOT, ".git"))) throw new Error(`${REPO_ROOT} is not a git clone`);
  const clone = path.join(work, "clean-clone");
  execFileSync("git", ["clone", "--quiet", "--no-hardlinks", REPO_ROOT, clone]);
  symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(clone, "node_modules"));
  return packTarball(clone, work);
}

/** A fresh project outside the repository with the tarball and @pulumi/pulumi (see PulumiSource) installed. */
export function installTarball(tarball: string, work: string, pulumiFrom: PulumiSource): string {
  const project = mkdtempSync(path.join(work, "user-project-"));
  const declared = (
    JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    }
  ).dependencies["@pulumi/pulumi"];
  const pulumi =
    pulumiFrom === "registry"
      ? declared
      : pulumiFrom === "repository"
        ? `file:${path.join(REPO_ROOT, "node_modules", "@pulumi", "pulumi")}`
        : pulumiFrom;
  writeFileSync(
    path.join(project, "package.json"),
    JSON.stringify({
      name: "packed-user",
      private: true,
      dependencies: { "pulumi-elastic-keys": `file:${tarball}`, "@pulumi/pulumi": pulumi },
    }),
  );
  execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: project,
    stdio: ["ignore", "inherit", "inherit"],
  });
  return project;
}

export function installPackedPackage(pulumiFrom: PulumiSource): PackedProject {
  const work = mkdtempSync(path.join(os.tmpdir(), "pek-packed-"));
  const project = installTarball(packTarball(REPO_ROOT, work), work, pulumiFrom);
  return { work, project };
}
