// The provider core's public surface. Per-resource dynamic-provider entries live in resources/<folder>/index.ts.
export { RESOURCES, resourceOf, isUpdatable, type ResourceType, type RegisteredResource } from "./framework/registry";
export { ElasticKeysError, type ErrorCode } from "./elastic/errors";
export { SETTINGS, SECRET_SETTINGS, CONFIG_NAMESPACE } from "./elastic/settings";
export { Connection } from "./elastic/connection";
