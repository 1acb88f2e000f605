// The one list of resources. Everything that enumerates resources derives from it: the SDK's classes and tokens,
// the dynamic-provider entry modules (package subpath `pulumi-elastic-keys/provider/<folder>`), the plugin's schema,
// the README reference tables. A new resource is one folder (SPEC.md, schema, outputs, lifecycle) plus its entry here
// (and the import above it), then `npm run generate` (docs/architecture.md, Adding a resource).
import { apmAgentKeyLifecycle } from "../resources/apm-agent-key/lifecycle";
import { apmRoleLifecycle } from "../resources/apm-role/lifecycle";
import { crossClusterApiKeyLifecycle } from "../resources/cross-cluster-api-key/lifecycle";
import { enrollmentApiKeyLifecycle } from "../resources/enrollment-api-key/lifecycle";
import type { DefinedLifecycle } from "./lifecycle";

export const RESOURCES = [
  { folder: "apm-role", lifecycle: apmRoleLifecycle },
  { folder: "apm-agent-key", lifecycle: apmAgentKeyLifecycle },
  { folder: "enrollment-api-key", lifecycle: enrollmentApiKeyLifecycle },
  { folder: "cross-cluster-api-key", lifecycle: crossClusterApiKeyLifecycle },
] as const satisfies readonly { folder: string; lifecycle: DefinedLifecycle }[];

export type ResourceType = (typeof RESOURCES)[number]["lifecycle"]["definition"]["type"];
export type RegisteredResource = (typeof RESOURCES)[number];

export function resourceOf(type: string): RegisteredResource | undefined {
  return RESOURCES.find((r) => r.lifecycle.definition.type === type);
}

/** Whether a type updates in place (its definition has `update`); the others are replace-only. */
export const isUpdatable = (r: RegisteredResource): boolean => r.lifecycle.definition.update !== undefined;
