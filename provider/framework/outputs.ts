// Output fields of a resource beyond its inputs, each with its type, its doc and whether it is a secret: the SDK
// declares them, the plugin schema and the README reference document them, all from here.
import type { z } from "zod";

export interface OutputSpec {
  doc: string;
  schema: z.ZodType;
  /** Marked secret by every front end: encrypted in state, masked by the CLI. */
  secret?: boolean;
}

export type OutputDocs = Readonly<Record<string, OutputSpec>>;

type Value<S extends OutputSpec> = z.infer<S["schema"]>;
type OptionalKeys<D extends OutputDocs> = { [K in keyof D]: undefined extends Value<D[K]> ? K : never }[keyof D];

/**
 * The TypeScript type of a resource's outputs, inferred from their one declaration (declare it `satisfies
 * OutputDocs` so each field keeps its own schema): an output whose schema admits `undefined` is an optional key.
 * Internal outputs the lifecycle keeps beside them (a create's mark, drift found by refresh) stay `unknown`.
 */
export type OutputsOf<D extends OutputDocs> = { [K in Exclude<keyof D, OptionalKeys<D>>]: Value<D[K]> } & {
  [K in OptionalKeys<D>]?: Value<D[K]>;
} & { [key: string]: unknown };

export const outputKeys = (docs: OutputDocs): string[] => Object.keys(docs);
export const secretOutputKeys = (docs: OutputDocs): string[] => Object.keys(docs).filter((k) => docs[k].secret);
