// The provider core's public surface. Per-resource shim entries live in resources/<name>/index.ts.
export type ResourceType = "ApmRole" | "ApmAgentKey" | "EnrollmentApiKey" | "CrossClusterApiKey";

/** The folder (and package subpath `pulumi-elastic-keys/provider/<folder>`) of each resource type. */
export const RESOURCE_FOLDERS: Record<ResourceType, string> = {
  ApmRole: "apm-role",
  ApmAgentKey: "apm-agent-key",
  EnrollmentApiKey: "enrollment-api-key",
  CrossClusterApiKey: "cross-cluster-api-key",
};

export { ElasticKeysError } from "./errors";
export { SETTINGS, SECRET_SETTINGS, CONFIG_NAMESPACE } from "./connection";
