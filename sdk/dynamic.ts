// What every resource stores in `__provider` (twice: inputs and outputs), never a credential or a client.
// - Installed from a registry: the entry module itself, which the closure serializer stores as
//   `require("pulumi-elastic-keys/provider/<folder>")`, ~300 bytes, portable between machines.
// - Elsewhere (this repository, `npm link`): a tiny shim capturing two strings, where the implementation lives. It
//   loads it by package name when that resolves in the provider process, else by absolute path (a module loaded from
//   a string has no package scope, so self-reference never works there).
//
// Shim size: the closure serializer wraps every function it emits in ~170 bytes of scaffolding, so a shim with one
// method per operation costs ~2 KB per copy. This one serializes a single function, `configure`: the dynamic-provider
// server calls it first on every deserialized provider (getProvider, before caching returns to any other RPC: its
// synchronous part runs before the first await), and it installs the implementation's methods on the provider
// object itself. ~1 KB per copy.
import type * as pulumi from "@pulumi/pulumi";
import { realpathSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { resourceOf, type ResourceType } from "../provider/framework/registry";
import type { ShimTarget } from "./provider-entry";

/** The provider object as serialized: where the implementation lives, which methods to install, and `configure`. */
interface Shim {
  [method: string]: unknown;
  /** The entry module by package subpath, e.g. `pulumi-elastic-keys/provider/apm-role`. */
  n: string;
  /** The same module by absolute path in this installation. */
  a: string;
  /** The operations to install, space-separated. */
  m: string;
}

// Serialized into `__provider`, called by the server as `provider.configure(req)`: `this` is the provider object.
// Top-level and terse on purpose: the serializer stores the compiled source text, indentation included. The first
// path that loads wins; if none does, every method fails with the error: a provider left without methods would make
// the server skip deletes and reads silently.
// No syntax newer than TypeScript 3.8 inside (no `??=`, `?.`): in projects without their own `typescript`, Pulumi
// parses serialized functions with the TypeScript 3.8 it vendors (typescript-shim.js). No comments inside either:
// they would be stored in every resource's state.
async function configure(this: Shim, r: pulumi.dynamic.ConfigureRequest): Promise<void> {
  let t: ShimTarget | undefined, e: unknown;
  for (const p of [this.n, this.a])
    try {
      if (t === undefined) t = require(p);
    } catch (x) {
      e = x;
    }
  for (const k of this.m.split(" ")) this[k] = t ? t[k as keyof ShimTarget] : () => Promise.reject(e);
  if (!t) throw e;
  t.configure(r);
}

/**
 * Whether a bare `require("pulumi-elastic-keys/provider/<folder>")` would load this very entry module both where the
 * closure serializer maps the module's path to that name (from @pulumi/pulumi's own location: it reads the package's
 * `exports` there, runtime/closure/package.js) and in the provider process (from the project directory, where it
 * starts). The serializer stores a module as a require only when its real path runs through node_modules.
 */
function resolvesByName(folder: string, entry: string): boolean {
  const real = realpathSync(entry);
  if (!real.split(path.sep).includes("node_modules")) return false;
  const specifier = `pulumi-elastic-keys/provider/${folder}`;
  // createRequire from those places: a plain require.resolve here would find this package by self-reference.
  const from = [require.resolve("@pulumi/pulumi"), path.join(process.cwd(), "index.js")];
  try {
    return from.every((place) => realpathSync(createRequire(place).resolve(specifier)) === real);
  } catch {
    return false;
  }
}

/**
 * The provider object for a type. Installed as a package and resolvable by name (resolvesByName), it is the entry
 * module itself: the closure serializer stores it as `require("pulumi-elastic-keys/provider/<folder>")` (~300 bytes,
 * nothing else). Anywhere else (this repository, `npm link`, a copy nested where the project or @pulumi/pulumi cannot
 * see it) the serializer would copy the module's code by value or store a path the provider process cannot load, so
 * the shim above stands in. `updatable: false` gives the shim no `update` method.
 */
export function dynamicProvider(type: ResourceType, updatable: boolean): pulumi.dynamic.ResourceProvider {
  const folder = resourceOf(type)!.folder;
  const entry = require.resolve(`./generated/providers/${folder}`);
  if (resolvesByName(folder, entry)) return require(entry) as pulumi.dynamic.ResourceProvider;
  const shim: Shim = {
    // By package name where the provider process can resolve it (a user's project: portable between machines),
    // else by absolute path. Decided at run time: a module loaded from `__provider` has no package scope, so whether
    // the name resolves can only be known in the provider process itself.
    n: `pulumi-elastic-keys/provider/${folder}`,
    a: entry,
    m: `check diff create read${updatable ? " update" : ""} delete`,
    configure,
  };
  return shim as unknown as pulumi.dynamic.ResourceProvider; // create & co. arrive in configure
}
