#!/usr/bin/env node
// Refuses a Node.js this project does not support (package.json `engines`: ^22 || ^24), before `npm start` does
// anything: npm itself only warns about `engines` (EBADENGINE), and a run on an untested runtime that fails later
// fails far less clearly. Plain JavaScript with no imports, so it runs on any Node.
import { readFileSync } from "node:fs";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));

/** The supported majors, from `engines.node` ("^22 || ^24"). */
export const SUPPORTED_MAJORS = [...pkg.engines.node.matchAll(/\^(\d+)/g)].map((m) => Number(m[1]));

/** Why `version` (e.g. "20.20.2") cannot run this project, or undefined when it can. */
export function problemWith(version) {
  const major = Number(version.split(".")[0]);
  if (SUPPORTED_MAJORS.includes(major)) return undefined;
  const newest = Math.max(...SUPPORTED_MAJORS);
  return [
    `pulumi-elastic-keys needs Node.js ${SUPPORTED_MAJORS.join(" or ")} (package.json engines); this is Node.js v${version},`,
    "which npm only warns about (EBADENGINE) and nothing here is tested on.",
    `Install Node.js ${newest} (https://nodejs.org), or put the one this checkout's set-up fetches from the npm registry first on PATH:`,
    `  export PATH="$(dirname "$(bash scripts/ensure-node.sh ${newest})")":"$PATH"`,
    "then run the command again.",
  ].join("\n");
}

if (process.argv[1] && new URL(import.meta.url).pathname === process.argv[1]) {
  const problem = problemWith(process.versions.node);
  if (problem) {
    process.stderr.write(`${problem}\n`);
    process.exit(1);
  }
}
