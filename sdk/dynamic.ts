// The serialized part of every resource: a tiny shell stored in `__provider`. It captures one string — where the
// resource's implementation lives — never a credential or a client, and loads the implementation when the engine
// calls it. The entry is the package subpath when that resolves from the program's directory (a user's project:
// portable between machines), else the absolute path (fallback for checkouts where the package is not resolvable).
import { createRequire } from "node:module";
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { RESOURCE_FOLDERS, type ResourceType } from "../provider";
import type { ShimTarget } from "../provider/entry";

function implementationEntry(type: ResourceType): string {
  const local = require.resolve(`../provider/resources/${RESOURCE_FOLDERS[type]}/index`);
  const byName = `pulumi-elastic-keys/provider/${RESOURCE_FOLDERS[type]}`;
  try {
    // Resolve as the dynamic-provider process will: from its working directory (the program's), not from here.
    if (createRequire(path.join(process.cwd(), "program.js")).resolve(byName) === local) return byName;
  } catch {
    // not resolvable by name from here: use the absolute path
  }
  return local;
}

/** `updatable: false` for replace-only resources: one method fewer in every resource's state. */
export function dynamicProvider(type: ResourceType, updatable: boolean): pulumi.dynamic.ResourceProvider {
  const e = implementationEntry(type);
  const provider: pulumi.dynamic.ResourceProvider = {
    configure: async (r) => (require(e) as ShimTarget).configure(r.config),
    check: (o, n) => (require(e) as ShimTarget).check(o, n),
    diff: (i, o, n) => (require(e) as ShimTarget).diff(i, o, n),
    create: (n) => (require(e) as ShimTarget).create(n),
    read: (i, o) => (require(e) as ShimTarget).read(i, o),
    delete: (i, o) => (require(e) as ShimTarget).delete(i, o),
  };
  if (updatable) provider.update = (i, o, n) => (require(e) as ShimTarget).update(i, o, n);
  return provider;
}
