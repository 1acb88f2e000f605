// pulumi-elastic-keys: Elastic credentials as code. Keys only ever leave the provider as Pulumi secrets.
// The resource classes and their types are generated from the resource registry (sdk/generated/resources.ts).
export * from "./generated/resources";
export type { ResourceOptions } from "./resource";

// Loaded by Pulumi's `run-plugin` (the official CLI's nodejs language host, for a `plugins.providers` path at the
// package root, whose PulumiPlugin.yaml makes it a source plugin): serve the native plugin from this process.
if (/[\\/]cmd[\\/]run-plugin[\\/]/.test(require.main?.filename ?? "")) require("../plugin/main");
