// The provider's public face for the SDK shim: one lifecycle per resource type, plus configure.
import { setStackConfig } from "./connection";
import type { Lifecycle } from "./lifecycle";

export type ResourceType = "ApmRole" | "ApmAgentKey" | "EnrollmentApiKey" | "CrossClusterApiKey";

const loaders: Record<ResourceType, () => Lifecycle> = {
  ApmRole: () => require("./resources/apm-role/lifecycle").apmRoleLifecycle,
  ApmAgentKey: () => require("./resources/apm-agent-key/lifecycle").apmAgentKeyLifecycle,
  EnrollmentApiKey: () => require("./resources/enrollment-api-key/lifecycle").enrollmentApiKeyLifecycle,
  CrossClusterApiKey: () => require("./resources/cross-cluster-api-key/lifecycle").crossClusterApiKeyLifecycle,
};

export function lifecycleFor(type: ResourceType): Lifecycle {
  return loaders[type]();
}

/** Stores the stack config the engine hands to `configure`; synchronous on purpose (pulumi-notes 3.5). */
export function configure(config: { get(key: string): string | undefined }): void {
  setStackConfig((key) => config.get(key));
}

export { ElasticKeysError } from "./errors";
