// The stack the benchmark and the soak deploy: N credentials, an even mix of the four resources.
import { KINDS, type Kind } from "./figures";

export type Sdk = typeof import("../../sdk");

/** Where our resources come from and the project directory the stacks run in. */
export interface Subject {
  sdk: Sdk;
  projectDir: string;
  /** The native plugin's launcher directory (Pulumi.yaml `plugins.providers[].path`). */
  pluginDir: string;
}

/**
 * Our stack: N resources, kind i % 4; every name unique within the stack (`prefix` tells scenarios apart) so each key
 * can be traced on the server.
 */
export function ourProgram(
  { ApmAgentKey, ApmRole, CrossClusterApiKey, EnrollmentApiKey }: Sdk,
  n: number,
  policyId: string,
  prefix = "bench",
) {
  return async (): Promise<Record<string, unknown>> => {
    for (let i = 0; i < n; i++) {
      const kind: Kind = KINDS[i % KINDS.length];
      if (kind === "ApmRole") new ApmRole(`role-${i}`, { name: `${prefix}-role-${i}` });
      else if (kind === "ApmAgentKey")
        new ApmAgentKey(`agent-${i}`, { name: `${prefix}-agent-${i}`, privileges: ["event:write"] });
      else if (kind === "EnrollmentApiKey") new EnrollmentApiKey(`enroll-${i}`, { policyId });
      else
        new CrossClusterApiKey(`cc-${i}`, { name: `${prefix}-cc-${i}`, access: { search: [{ names: ["logs-*"] }] } });
    }
    return {};
  };
}

/**
 * The same stack through the native plugin: the same resources registered by token (`elastic:index:<Type>`), as a
 * YAML, Python or Go program registers them. `pulumi` is the program's own @pulumi/pulumi.
 */
export function nativeProgram(pulumi: typeof import("@pulumi/pulumi"), n: number, policyId: string, prefix = "native") {
  return async (): Promise<Record<string, unknown>> => {
    class ByToken extends pulumi.CustomResource {}
    const resource = (type: Kind, name: string, props: Record<string, unknown>) =>
      new ByToken(`elastic:index:${type}`, name, props);
    for (let i = 0; i < n; i++) {
      const kind: Kind = KINDS[i % KINDS.length];
      if (kind === "ApmRole") resource(kind, `role-${i}`, { name: `${prefix}-role-${i}` });
      else if (kind === "ApmAgentKey")
        resource(kind, `agent-${i}`, { name: `${prefix}-agent-${i}`, privileges: ["event:write"] });
      else if (kind === "EnrollmentApiKey") resource(kind, `enroll-${i}`, { policyId });
      else resource(kind, `cc-${i}`, { name: `${prefix}-cc-${i}`, access: { search: [{ names: ["logs-*"] }] } });
    }
    return {};
  };
}
