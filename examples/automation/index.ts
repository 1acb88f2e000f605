// An Automation API script for CI: deploy the keys one service needs, print outputs with secrets masked, and
// write the agent key to a file only the job can read (never to the log).
import { chmodSync, rmSync, writeFileSync } from "node:fs";
import { LocalWorkspace, type PulumiCommand } from "@pulumi/pulumi/automation";
import * as elastic from "pulumi-elastic-keys";

export interface DeployOptions {
  service: string;
  stackName?: string;
  /** Where the agent key goes (mode 0600); omit to skip. */
  secretFile?: string;
  destroy?: boolean;
  pulumiCommand?: PulumiCommand;
  envVars?: Record<string, string>;
  log?: (line: string) => void;
}

export async function deployServiceKeys(opts: DeployOptions): Promise<{ keyId: string }> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const program = async () => {
    const key = new elastic.ApmAgentKey(`${opts.service}-apm`, {
      name: opts.service,
      privileges: ["event:write", "config_agent:read"],
    });
    return { keyId: key.keyId, encoded: key.encoded };
  };
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: opts.stackName ?? opts.service, projectName: "elastic-keys-ci", program },
    { pulumiCommand: opts.pulumiCommand, envVars: opts.envVars },
  );
  try {
    if (opts.destroy) {
      await stack.destroy({ onOutput: () => {} });
      log(`destroyed the keys of ${opts.service}`);
      return { keyId: "" };
    }
    const up = await stack.up({ onOutput: () => {} });
    for (const [name, out] of Object.entries(up.outputs))
      log(`${name}: ${out.secret ? "[secret]" : String(out.value)}`);
    if (opts.secretFile) {
      writeFileSync(opts.secretFile, String(up.outputs.encoded.value), { mode: 0o600 });
      chmodSync(opts.secretFile, 0o600);
      log(`agent key written to ${opts.secretFile} (mode 0600)`);
    }
    return { keyId: String(up.outputs.keyId.value) };
  } finally {
    // An inline program's project settings live in a temp dir Automation makes per run; the state is in the backend.
    rmSync(stack.workspace.workDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const [service, secretFile] = process.argv.slice(2);
  if (!service) {
    console.error("usage: node index.js <service> [secret-file]");
    process.exit(2);
  }
  deployServiceKeys({ service, secretFile }).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
}
