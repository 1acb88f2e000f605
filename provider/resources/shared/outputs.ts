/** Output fields of a resource beyond its inputs: the SDK declares them, the README reference documents them. */
export type OutputDocs = Readonly<Record<string, { doc: string; secret?: boolean }>>;

export const outputKeys = (docs: OutputDocs): string[] => Object.keys(docs);
export const secretOutputKeys = (docs: OutputDocs): string[] => Object.keys(docs).filter((k) => docs[k].secret);
