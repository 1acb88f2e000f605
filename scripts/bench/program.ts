// The stack the benchmark and the soaks deploy: N credentials, an even mix of the registry's resource types.
import { resourceOf } from "../../provider/framework/registry";
import { KINDS, type Kind } from "./figures";

export type Sdk = typeof import("../../sdk");

/** Where our resources come from and the project directory the stacks run in. */
export interface Subject {
  sdk: Sdk;
  projectDir: string;
  /** The native plugin's launcher directory (Pulumi.yaml `plugins.providers[].path`). */
  pluginDir: string;
}

/** The i-th resource of a stack as the bench and the soaks declare it: its type's example, names unique per prefix. */
export function sampleOf(kind: Kind, prefix: string, i: number, policyId: string): Record<string, unknown> {
  const registered = resourceOf(kind);
  if (!registered) throw new Error(`${kind} is not in the registry`);
  return registered.lifecycle.definition.example({ name: `${prefix}-${registered.folder}-${i}`, policyId });
}

/** The logical name of the i-th resource of a stack. */
export const logicalName = (kind: Kind, i: number): string => `${resourceOf(kind)?.folder ?? kind}-${i}`;

/**
 * Our stack: N resources, kind i % KINDS.length; every name unique within the stack (`prefix` tells scenarios apart)
 * so each key can be traced on the server.
 */
export function ourProgram(sdk: Sdk, n: number, policyId: string, prefix = "bench") {
  return async (): Promise<Record<string, unknown>> => {
    for (let i = 0; i < n; i++) {
      const kind: Kind = KINDS[i % KINDS.length];
      // Looked up by name, not typed by the SDK's exports: a resource just registered has no class until
      // `npm run generate`, which compiles this file first.
      const Resource = (
        sdk as unknown as Record<string, new (name: string, props: Record<string, unknown>) => unknown>
      )[kind];
      new Resource(logicalName(kind, i), sampleOf(kind, prefix, i, policyId));
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
    for (let i = 0; i < n; i++) {
      const kind: Kind = KINDS[i % KINDS.length];
      new ByToken(`elastic:index:${kind}`, logicalName(kind, i), sampleOf(kind, prefix, i, policyId));
    }
    return {};
  };
}
