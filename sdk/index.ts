// pulumi-elastic-keys: Elastic credentials as code. Keys only ever leave the provider as Pulumi secrets.
export { ApmRole, type ApmRoleArgs } from "./apm-role";
export { ApmAgentKey, type ApmAgentKeyArgs } from "./apm-agent-key";
export { EnrollmentApiKey, type EnrollmentApiKeyArgs } from "./enrollment-api-key";
export { CrossClusterApiKey, type CrossClusterApiKeyArgs } from "./cross-cluster-api-key";
