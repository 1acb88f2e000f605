// What the repository tracks is source: no binary, no archive, nothing a test or set-up script left in the checkout
// (a stray `npm pack` once committed a fake Node tarball). The CLI, hosts and runtimes live in the cache outside the repo.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.join(__dirname, "..", "..");

/** A file is binary when its first 8 KB hold a NUL byte (git's own test). */
export function looksBinary(bytes: Buffer): boolean {
  return bytes.subarray(0, 8192).includes(0);
}

const ARCHIVE = /\.(tgz|tar|gz|zip|whl|jar|exe|so|dylib|node)$/;

describe("tracked files", () => {
  it("the binary test tells a NUL-holding file from text", () => {
    expect(looksBinary(Buffer.from([0x1f, 0x8b, 0x00, 0x01]))).toBe(true);
    expect(looksBinary(Buffer.from("#!/bin/sh\necho hi\n"))).toBe(false);
  });

  it("holds no binary and no archive", () => {
    const files = execFileSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8" }).split("\0").filter(Boolean);
    expect(files.length).toBeGreaterThan(100);
    const offenders = files.filter((f) => {
      if (ARCHIVE.test(f)) return true;
      try {
        return looksBinary(readFileSync(path.join(ROOT, f)));
      } catch {
        return false; // deleted in the work tree, not yet committed
      }
    });
    expect(offenders).toEqual([]);
  });
});
