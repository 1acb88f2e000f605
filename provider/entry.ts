// What a resource's serialized shim loads: the lifecycle's six operations plus `configure`, flat on one module so
// each shim method is a one-liner (`__provider` size, pulumi-notes 3.4).
import { setStackConfig } from "./connection";
import type { Lifecycle } from "./lifecycle";

export type ShimTarget = Lifecycle & { configure(config: { get(key: string): string | undefined }): void };

export function shimTarget(lifecycle: Lifecycle): ShimTarget {
  return {
    ...lifecycle,
    // Stores the stack config synchronously, before any await (pulumi-notes 3.5).
    configure: (config) => setStackConfig((key) => config.get(key)),
  };
}
