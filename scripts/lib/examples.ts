// Runs an example exactly as written (examples/<name>/index.ts, compiled to dist/) as an Automation API inline
// program. A `pulumi up` in the example's folder would need the nodejs language host, which the Go module proxy
// here does not serve; the inline route needs none, and the example's exports become the stack outputs.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { PulumiFn } from "@pulumi/pulumi/automation";
import { REPO_ROOT } from "./pulumi-cli";

export function exampleProjectName(example: string): string {
  const yaml = readFileSync(path.join(REPO_ROOT, "examples", ...example.split("/"), "Pulumi.yaml"), "utf8");
  const name = /^name:\s*(\S+)/m.exec(yaml)?.[1];
  if (!name) throw new Error(`examples/${example}/Pulumi.yaml has no name`);
  return name;
}

/** The example's compiled program, re-required on every run so each `up` evaluates it afresh. */
export function exampleProgram(example: string, file = "index"): PulumiFn {
  const compiled = path.join(REPO_ROOT, "dist", "examples", ...example.split("/"), `${file}.js`);
  return async () => {
    delete require.cache[require.resolve(compiled)];
    return { ...(require(compiled) as Record<string, unknown>) };
  };
}
