import type * as pulumi from "@pulumi/pulumi";

/** A program may pass plain values or Outputs anywhere, including inside lists and objects. */
export type Inputs<T> = { [K in keyof T]: Wrapped<T[K]> };
type Wrapped<T> = T extends readonly (infer U)[]
  ? pulumi.Input<Wrapped<U>[]>
  : T extends Record<string, unknown>
    ? pulumi.Input<{ [K in keyof T]: Wrapped<T[K]> }>
    : pulumi.Input<T>;

export type ResourceOptions = pulumi.CustomResourceOptions;
