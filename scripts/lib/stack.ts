// Runs an inline Pulumi program on the real CLI through the Automation API: local file backend and PULUMI_HOME in a
// temp dir, passphrase secrets, offline and quiet, complete clean-up. Engine tests build on this.
import {
  LocalWorkspace,
  PulumiCommand,
  type ConfigMap,
  type ProjectSettings,
  type PulumiFn,
  type Stack,
} from "@pulumi/pulumi/automation";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { promisify } from "node:util";
import * as os from "node:os";
import * as path from "node:path";
import { nodejsPluginDir, pulumiCliPath, REPO_ROOT } from "./pulumi-cli";

const execFileAsync = promisify(execFile);

export const PASSPHRASE = "engine-test-passphrase";

export interface TestStackOptions {
  program: PulumiFn;
  projectName?: string;
  stackName?: string;
  config?: ConfigMap;
  /** Env for the CLI and therefore for the provider process (connection settings go here or in config). */
  env?: Record<string, string>;
  /** Reuse another stack's backend (StackReference between stacks needs one backend). */
  backendDir?: string;
  /**
   * The project directory: the provider process starts here and resolves modules from here. Default: this
   * repository's root. It must resolve @pulumi/pulumi.
   */
  projectDir?: string;
  /** Resource plugins found by path (Pulumi.yaml `plugins.providers`), e.g. the native plugin's plugin/bin. */
  pluginPaths?: Record<string, string>;
}

export interface TestStack {
  stack: Stack;
  backendDir: string;
  /** The stack's PULUMI_HOME (its plugins' too: the create journal lives below it). */
  home: string;
  /** Everything the engine printed during the last operation (asserted on for leaks). */
  log: () => string;
  up(): ReturnType<Stack["up"]>;
  preview(): ReturnType<Stack["preview"]>;
  refresh(): ReturnType<Stack["refresh"]>;
  destroy(): ReturnType<Stack["destroy"]>;
  /** `pulumi stack export` without --show-secrets, as text. */
  exportText(): Promise<string>;
  /** Changes environment variables for the next CLI commands (and so for the provider processes they start). */
  setEnv(vars: Record<string, string>): void;
  cleanup(): Promise<void>;
}

let command: Promise<PulumiCommand> | undefined;

export function pulumiCommand(): Promise<PulumiCommand> {
  const cli = pulumiCliPath();
  command ??= PulumiCommand.get({ root: path.dirname(path.dirname(cli)) });
  return command;
}

let counter = 0;

export async function createTestStack(opts: TestStackOptions): Promise<TestStack> {
  const ownBackend = !opts.backendDir;
  const backendDir = opts.backendDir ?? mkdtempSync(path.join(os.tmpdir(), "pek-backend-"));
  const home = mkdtempSync(path.join(os.tmpdir(), "pek-home-"));
  const envVars: Record<string, string> = {
    PULUMI_BACKEND_URL: `file://${backendDir}`,
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_SUPPRESS_NEO_LINK: "true",
    // The dynamic-provider plugin is found on PATH as well as next to the CLI.
    PATH: `${nodejsPluginDir()}${path.delimiter}${process.env.PATH ?? ""}`,
    ...opts.env,
  };
  const stackName = opts.stackName ?? `t${process.pid}-${++counter}`;
  const pulumi = await pulumiCommand();
  // The default project's `main` is process.cwd(); plugins start there and must resolve @pulumi/pulumi.
  const projectDir = opts.projectDir ?? REPO_ROOT;
  if (process.cwd() !== projectDir) process.chdir(projectDir);
  const projectName = opts.projectName ?? "pek-engine-test";
  // Pulumi.yaml `plugins` is not in Automation's ProjectSettings type, but it writes the settings as given.
  const plugins = opts.pluginPaths && {
    providers: Object.entries(opts.pluginPaths).map(([name, pluginPath]) => ({ name, path: pluginPath })),
  };
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName, projectName, program: opts.program },
    {
      pulumiCommand: pulumi,
      envVars,
      pulumiHome: home,
      ...(plugins ? { projectSettings: { name: projectName, runtime: "nodejs", plugins } as ProjectSettings } : {}),
    },
  );
  if (opts.config) await stack.setAllConfig(opts.config);

  let output = "";
  const onOutput = (s: string) => (output += s);
  const onError = (s: string) => (output += s);
  const run = <T>(op: () => Promise<T>): Promise<T> => {
    output = "";
    return op();
  };
  return {
    stack,
    backendDir,
    home,
    log: () => output,
    up: () => run(() => stack.up({ onOutput, onError })),
    preview: () => run(() => stack.preview({ onOutput, onError, diff: true })),
    refresh: () => run(() => stack.refresh({ onOutput, onError })),
    destroy: () => run(() => stack.destroy({ onOutput, onError })),
    setEnv: (vars) => void Object.assign(stack.workspace.envVars, vars),
    // Not `stack.exportStack()`: Automation adds --show-secrets to it, which would hide any leak.
    exportText: async () => {
      const { stdout } = await execFileAsync(
        pulumi.command,
        ["stack", "export", "--stack", stackName, "--non-interactive"],
        {
          cwd: (stack.workspace as LocalWorkspace).workDir,
          env: { ...process.env, PULUMI_HOME: home, ...envVars },
          maxBuffer: 256 * 1024 * 1024, // large stacks export far more than execFile's 1 MB default
        },
      );
      return JSON.stringify((JSON.parse(stdout) as { deployment: unknown }).deployment);
    },
    async cleanup() {
      try {
        await stack.destroy({ onOutput: () => {} });
        await stack.workspace.removeStack(stackName);
      } catch {
        // best effort: the temp dirs go regardless
      }
      rmSync(home, { recursive: true, force: true });
      // The temp dir Automation made for the inline program's project settings.
      rmSync((stack.workspace as LocalWorkspace).workDir, { recursive: true, force: true });
      if (ownBackend) rmSync(backendDir, { recursive: true, force: true });
    },
  };
}
