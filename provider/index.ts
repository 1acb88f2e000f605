// The provider core's public surface. Per-resource dynamic-provider entries live in resources/<folder>/index.ts.
export { RESOURCES, resourceOf, isUpdatable, type ResourceType, type RegisteredResource } from "./registry";
export { ElasticKeysError, type ErrorCode } from "./errors";
export { SETTINGS, SECRET_SETTINGS, CONFIG_NAMESPACE } from "./settings";
export { Connection } from "./connection";
