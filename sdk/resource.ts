// The base of every resource class: the shared shim as provider, the logical name as a hidden input (so errors
// can name the resource), output keys listed, secret outputs always marked secret, and one type token per class.
import * as pulumi from "@pulumi/pulumi";
import { isUpdatable, resourceOf, type ResourceType } from "../provider/framework/registry";
import { IMPORT_INPUT, NAME_INPUT } from "../provider/framework/lifecycle";
import { outputKeys, secretOutputKeys } from "../provider/framework/outputs";
import { redactOurResponsesInDebugLog } from "./debug-log";
import { dynamicProvider } from "./dynamic";
import { quietStackTraces } from "./stack-traces";

redactOurResponsesInDebugLog(); // Pulumi's debug log would print our secret outputs: see the module

export type ResourceOptions = pulumi.CustomResourceOptions;

interface TypeFacts {
  /**
   * One provider object per type: @pulumi/pulumi caches each provider's serialization per provider object
   * (dynamic/index.js, serializeProvider: a WeakMap while cacheDynamicProviders is on).
   */
  provider: pulumi.dynamic.ResourceProvider;
  /** Every output property (the inputs, read back, and the outputs beyond them): each must be listed up front. */
  outputKeys: string[];
  secretOutputs: string[];
}
const facts = new Map<ResourceType, TypeFacts>();
function factsOf(type: ResourceType): TypeFacts {
  let f = facts.get(type);
  if (!f) {
    const r = resourceOf(type)!;
    const def = r.lifecycle.definition;
    f = {
      provider: dynamicProvider(type, isUpdatable(r)),
      outputKeys: [...Object.keys(def.schema.shape), ...outputKeys(def.outputs)],
      secretOutputs: secretOutputKeys(def.outputs),
    };
    facts.set(type, f);
  }
  return f;
}

export abstract class ElasticResource extends pulumi.dynamic.Resource {
  protected constructor(type: ResourceType, name: string, args: object, opts?: ResourceOptions) {
    const { provider, outputKeys, secretOutputs } = factsOf(type);
    const props: Record<string, unknown> = { ...args, [NAME_INPUT]: name };
    // The dynamic-provider host cannot import (it fails inside the host, before any provider code runs), so an
    // `import` becomes a planned create whose check refuses it with what to do instead (provider/framework/lifecycle.ts).
    if (opts?.import !== undefined) {
      props[IMPORT_INPUT] = opts.import;
      opts = { ...opts, import: undefined };
    }
    for (const key of outputKeys) if (!(key in props)) props[key] = undefined;
    const restoreStackTraces = quietStackTraces(); // cost, and the source position Pulumi records: see the module
    try {
      // Token pulumi-nodejs:dynamic/elastic:<Type>; changing it would change every URN.
      super(
        provider,
        name,
        props,
        pulumi.mergeOptions(opts, { additionalSecretOutputs: [...secretOutputs] }),
        "elastic",
        type,
      );
    } catch (err) {
      restoreStackTraces();
      if (err instanceof Error) Error.captureStackTrace(err); // it was created without one
      throw err;
    } finally {
      restoreStackTraces();
    }
  }
}
