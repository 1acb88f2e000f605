// Reading Automation API stack outputs in tests.
export type Outs = Record<string, { value: unknown; secret: boolean }>;

export const str = (outs: Outs, key: string): string => String(outs[key].value);

/** The plaintext of every secret output: none of it may appear in an export or a log. */
export const secretValues = (outs: Outs): string[] =>
  Object.values(outs)
    .filter((o) => o.secret)
    .map((o) => String(o.value));
