// What a resource's entry module exports: the lifecycle's six operations plus `configure`, flat on one module, shaped
// as a dynamic ResourceProvider — the engine's provider object itself when the package is installed, else what the
// serialized shim loads and installs (sdk/dynamic.ts).
import { setStackConfig } from "./connection";
import type { Lifecycle } from "./lifecycle";

/** What the dynamic-provider server passes to `configure` (pulumi.dynamic.ConfigureRequest, structurally). */
interface ConfigureRequest {
  config: { get(key: string): string | undefined };
}

export type ShimTarget = Lifecycle & { configure(req: ConfigureRequest): void };

export function shimTarget(lifecycle: Lifecycle): ShimTarget {
  return {
    ...lifecycle,
    // Stores the stack config synchronously, before any await (pulumi-notes 3.5).
    configure: ({ config }) => setStackConfig((key) => config.get(key)),
  };
}
