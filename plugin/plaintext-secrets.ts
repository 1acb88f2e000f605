// Where a credential is known to be kept in plaintext, for a warning. The plugin stores every secret setting as a
// secret in state however it was given (CheckConfig), but the engine strips secrecy before CheckConfig (Pulumi
// v3.259.0, pkg/resource/plugin/provider_plugin.go: news marshalled without KeepSecrets), so how a value was given
// shows only where it was written: a plain line in the project's Pulumi.yaml or Pulumi.<stack>.yaml (the plugin runs
// in the project directory), or a provider state recorded in plaintext by an earlier version (Configure's inputs).
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { SECRET_INPUTS } from "./config";

type Props = Record<string, unknown>;

const howToGive = (key: string): string =>
  `set it as a secret where you give it: \`pulumi config set --secret elastic:${key} <value>\` for the stack config, a secret value for an explicit provider (\`secret: true\` config in YAML, \`pulumi.secret()\` in code)`;

const unquote = (v: string): string => v.replace(/^(["'])(.*)\1$/, "$2");

/** Warnings for secret settings whose value is written in plain text in the project's Pulumi YAML files. */
export function plaintextInProjectFiles(inputs: Props, dir = process.cwd()): string[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => /^Pulumi(\.[^/]+)?\.ya?ml$/.test(f));
  } catch {
    return [];
  }
  const warnings: string[] = [];
  for (const key of SECRET_INPUTS) {
    const value = inputs[key];
    if (typeof value !== "string" || value === "") continue;
    const line = new RegExp(`^\\s*(?:elastic:)?${key}\\s*:\\s*(.+?)\\s*$`);
    const file = files.find((f) => {
      try {
        return readFileSync(path.join(dir, f), "utf8")
          .split("\n")
          .some((l) => unquote(line.exec(l)?.[1] ?? "") === value);
      } catch {
        return false;
      }
    });
    if (file)
      warnings.push(
        `${key} is written in plain text in ${file}. It is stored encrypted in this stack's state, but ${howToGive(key)}`,
      );
  }
  return warnings;
}

/** Warnings for secret settings a provider's recorded inputs hold in plaintext (state from an earlier version). */
export function plaintextInRecord(inputs: Props, secretKeys: ReadonlySet<string>): string[] {
  return SECRET_INPUTS.filter((k) => typeof inputs[k] === "string" && !secretKeys.has(k)).map(
    (k) =>
      `${k} is recorded in plaintext in this stack's state (written by an earlier version of this plugin); the next \`pulumi up\` stores it encrypted. Also ${howToGive(k)}`,
  );
}
