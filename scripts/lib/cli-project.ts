// Runs the pulumi CLI the way a user types it, in a project directory of its own: `pulumi stack init`,
// `pulumi config set [--secret]`, `pulumi up --yes`, … on a Pulumi program that uses the native plugin (a YAML
// program, or a Java program's Pulumi.yaml). Local file backend, passphrase secrets, its own PULUMI_HOME, offline;
// everything it printed is kept for leak checks.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pulumiCliPath, yamlHostPath } from "./pulumi-cli";
import { PASSPHRASE } from "./stack";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliProject {
  dir: string;
  /** Its PULUMI_HOME (the plugin's too: the create journal lives below it). */
  home: string;
  /** Its backend (PULUMI_BACKEND_URL): another project given it reads this one's stacks by StackReference. */
  backendUrl: string;
  /** The environment its commands run with (the pulumi CLI's folder first on PATH), for other commands a user runs. */
  env(): NodeJS.ProcessEnv;
  /** Runs `pulumi <args>` in the project; throws with the output when it exits non-zero, unless `expectFailure`. */
  pulumi(args: string[], opts?: { expectFailure?: boolean }): Promise<CliResult>;
  /** Starts `pulumi <args>` and returns the process, for a test that kills it; its output is not recorded. */
  start(args: string[]): ChildProcess;
  /** Replaces the program (Pulumi.yaml). */
  writeProgram(yaml: string): void;
  /** Env for the next commands (and so for the plugin processes they start). */
  setEnv(vars: Record<string, string | undefined>): void;
  /** Everything every command printed so far. */
  transcript(): string;
  cleanup(): Promise<void>;
}

export async function createCliProject(opts: {
  /** Pulumi.yaml: a YAML program, or the project file of a program in another language. */
  programYaml: string;
  env?: Record<string, string>;
  projectDir?: string;
  /** Another project's backend, shared (default: a new one of its own). */
  backendUrl?: string;
  /** Ensures the language host the project's runtime needs (default: YAML's). */
  languageHost?: () => string;
}): Promise<CliProject> {
  const base = mkdtempSync(path.join(os.tmpdir(), "pek-cli-"));
  const dir = opts.projectDir ?? path.join(base, "project");
  mkdirSync(dir, { recursive: true });
  mkdirSync(path.join(base, "state"));
  const cli = pulumiCliPath();
  (opts.languageHost ?? yamlHostPath)(); // next to the CLI, where the engine looks for language hosts
  // The connection env of the machine must not leak into the plugin: only what the test gives.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(ELASTICSEARCH|KIBANA|FLEET|ELASTIC_KEYS|PULUMI)_/.test(k)),
  );
  const backendUrl = opts.backendUrl ?? `file://${path.join(base, "state")}`;
  const env: Record<string, string | undefined> = {
    ...inherited,
    PULUMI_BACKEND_URL: backendUrl,
    PULUMI_HOME: path.join(base, "home"),
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_SUPPRESS_NEO_LINK: "true",
    PULUMI_SKIP_CONFIRMATIONS: "true",
    NO_COLOR: "1",
    ...opts.env,
  };
  let transcript = "";
  const project: CliProject = {
    dir,
    home: path.join(base, "home"),
    backendUrl,
    env: () => ({ ...env, PATH: `${path.dirname(cli)}${path.delimiter}${env.PATH ?? ""}` }) as NodeJS.ProcessEnv,
    writeProgram: (yaml) => writeFileSync(path.join(dir, "Pulumi.yaml"), yaml),
    start: (args) =>
      spawn(cli, [...args, "--non-interactive", "--color=never"], {
        cwd: dir,
        env: env as NodeJS.ProcessEnv,
        stdio: "ignore",
      }),
    setEnv: (vars) => void Object.assign(env, vars),
    transcript: () => transcript,
    pulumi: (args, { expectFailure = false } = {}) =>
      new Promise((resolve, reject) => {
        execFile(
          cli,
          [...args, "--non-interactive", "--color=never"],
          { cwd: dir, env: env as NodeJS.ProcessEnv, maxBuffer: 256 * 1024 * 1024, timeout: 240_000 },
          (err, stdout, stderr) => {
            const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
            // The command line as typed, but a `config set --secret` value masked: the leak checks are about what
            // the CLI prints, and the test typed that value itself.
            const shown = args.includes("--secret") ? [...args.slice(0, -1), "<secret>"] : args;
            // What the test asked to see in plaintext (--show-secrets) is not what the CLI leaks: not recorded.
            transcript += `$ pulumi ${shown.join(" ")}\n${args.includes("--show-secrets") ? "" : stdout}${stderr}`;
            const result = { code, stdout, stderr };
            if ((code !== 0) !== expectFailure)
              reject(
                new Error(
                  `pulumi ${shown.join(" ")} exited ${code} (expected ${expectFailure ? "a failure" : "success"})\n${stdout}${stderr}`,
                ),
              );
            else resolve(result);
          },
        );
      }),
    async cleanup() {
      await project.pulumi(["destroy", "--yes"]).catch(() => undefined);
      rmSync(base, { recursive: true, force: true });
    },
  };
  project.writeProgram(opts.programYaml);
  return project;
}
