// The serialized part of every resource: a tiny shell stored in `__provider`. It captures only the resource type
// and two module paths (strings), never a credential or a client, and loads the real implementation when the
// engine calls it — by package name in a user's project, by absolute path inside this repository.
import type * as pulumi from "@pulumi/pulumi";
import type { ResourceType } from "../provider";

type ProviderModule = typeof import("../provider");

const PACKAGE_ENTRY = "pulumi-elastic-keys/provider";
const LOCAL_ENTRY = require.resolve("../provider");

export function dynamicProvider(type: ResourceType): pulumi.dynamic.ResourceProvider {
  const load = (): ProviderModule => {
    try {
      return require(PACKAGE_ENTRY);
    } catch (err) {
      if ((err as { code?: string }).code !== "MODULE_NOT_FOUND") throw err;
      return require(LOCAL_ENTRY);
    }
  };
  return {
    configure: async (req) => load().configure(req.config),
    check: (olds, news) => load().lifecycleFor(type).check(olds, news),
    diff: (id, olds, news) => load().lifecycleFor(type).diff(id, olds, news),
    create: (inputs) => load().lifecycleFor(type).create(inputs),
    read: (id, props) => load().lifecycleFor(type).read(id, props),
    update: (id, olds, news) => load().lifecycleFor(type).update(id, olds, news),
    delete: (id, props) => load().lifecycleFor(type).delete(id, props),
  };
}
