// pulumi-elastic-keys: Elastic credentials as code. Keys only ever leave the provider as Pulumi secrets.
// The resource classes and their types are generated from the resource registry (sdk/resources.ts).
export * from "./resources";
export type { ResourceOptions } from "./resource";
