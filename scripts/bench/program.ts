// The stack the benchmark and the soak deploy: N credentials, an even mix of the four resources.
import { KINDS, type Kind } from "./figures";

export type Sdk = typeof import("../../sdk");

/** Where our resources come from and the project directory the stacks run in. */
export interface Subject {
  sdk: Sdk;
  projectDir: string;
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
