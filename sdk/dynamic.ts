// The serialized part of every resource: a tiny shell stored in `__provider`. It captures two strings — where the
// resource's implementation lives — never a credential or a client, and loads the implementation when the engine
// calls it: by package name when that resolves in the provider process (a user's project: portable between
// machines), else by absolute path (checkouts such as this repository, where only self-reference could resolve the
// name, and a module loaded from a string has no package scope, so self-reference never works there).
import type * as pulumi from "@pulumi/pulumi";
import { RESOURCE_FOLDERS, type ResourceType } from "../provider";
import type { ShimTarget } from "../provider/entry";

/** `updatable: false` for replace-only resources: one method fewer in every resource's state. */
export function dynamicProvider(type: ResourceType, updatable: boolean): pulumi.dynamic.ResourceProvider {
  const n = `pulumi-elastic-keys/provider/${RESOURCE_FOLDERS[type]}`;
  const a = require.resolve(`../provider/resources/${RESOURCE_FOLDERS[type]}/index`);
  // By package name where the provider process can resolve it (a user's project: portable between machines), else
  // by absolute path. Decided at run time: a module loaded from `__provider` has no package scope, so whether the
  // name resolves can only be known in the provider process itself.
  const l = (): ShimTarget => {
    try {
      return require(n);
    } catch {
      return require(a);
    }
  };
  const provider: pulumi.dynamic.ResourceProvider = {
    configure: async (r) => l().configure(r.config),
    check: (o, x) => l().check(o, x),
    diff: (i, o, x) => l().diff(i, o, x),
    create: (x) => l().create(x),
    read: (i, o) => l().read(i, o),
    delete: (i, o) => l().delete(i, o),
  };
  if (updatable) provider.update = (i, o, x) => l().update(i, o, x);
  return provider;
}
