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

export const outputKeys = (docs: OutputDocs): string[] => Object.keys(docs);
export const secretOutputKeys = (docs: OutputDocs): string[] => Object.keys(docs).filter((k) => docs[k].secret);
