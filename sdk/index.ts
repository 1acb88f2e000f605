// pulumi-elastic-keys: Elastic credentials as code. Keys only ever leave the provider as Pulumi secrets.
export { ApmRole, type ApmRoleArgs } from "./apm-role";
export { ApmAgentKey, type ApmAgentKeyArgs } from "./apm-agent-key";
