// What each resource type keeps in state, from a `pulumi stack export`: the bytes of one entry split into the
// inputs and outputs a user or the provider reads, the ciphertext of secret values, the dynamic provider's serialized
// `__provider` (both copies), and what the engine adds (urn, type, id, parent, provider reference, dependencies,
// timestamps…). Pure: export text in, bytes out. Bytes are of compact JSON (the checkpoint's own indentation left out).

/** Pulumi's marker of a secret value in a checkpoint (sdk/go/common/resource/sig: Secret). */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

interface Entry {
  type: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

export interface EntryBytes {
  /** The whole entry. */
  total: number;
  /** Input properties, without `__provider` and secret ciphertext. */
  inputs: number;
  /** Output properties, without `__provider` and secret ciphertext. */
  outputs: number;
  /** Secret values (`{"<sig>": …, "ciphertext": …}`) in inputs and outputs. */
  secrets: number;
  /** The dynamic provider's serialized code, inputs and outputs together (0 for a native resource). */
  provider: number;
  /** The rest: what the engine records about the resource. */
  engine: number;
}

const bytes = (v: unknown): number => Buffer.byteLength(JSON.stringify(v) ?? "", "utf8");

const isSecret = (v: unknown): boolean =>
  typeof v === "object" && v !== null && (v as Record<string, unknown>)[SECRET_SIG] !== undefined;

/** Bytes of the secret values anywhere inside `v`. */
function secretBytes(v: unknown): number {
  if (isSecret(v)) return bytes(v);
  if (Array.isArray(v)) return v.reduce((a: number, x) => a + secretBytes(x), 0);
  if (typeof v === "object" && v !== null) return Object.values(v).reduce((a: number, x) => a + secretBytes(x), 0);
  return 0;
}

/** One property bag split: its `__provider` value, its secrets, and the rest. */
function bagBytes(bag: Record<string, unknown> | undefined): { plain: number; secrets: number; provider: number } {
  if (!bag) return { plain: 0, secrets: 0, provider: 0 };
  const provider = bag.__provider === undefined ? 0 : bytes(bag.__provider);
  const secrets = secretBytes(bag);
  return { plain: bytes(bag) - provider - secrets, secrets, provider };
}

export function entryBytes(entry: Entry): EntryBytes {
  const total = bytes(entry);
  const i = bagBytes(entry.inputs);
  const o = bagBytes(entry.outputs);
  const secrets = i.secrets + o.secrets;
  const provider = i.provider + o.provider;
  return {
    total,
    inputs: i.plain,
    outputs: o.plain,
    secrets,
    provider,
    engine: total - i.plain - o.plain - secrets - provider,
  };
}

/** The short name of a type token: `pulumi-nodejs:dynamic/elastic:ApmRole` and `elastic:index:ApmRole` → `ApmRole`. */
export const shortType = (type: string): string => type.split(":").pop() ?? type;

/**
 * The mean bytes of one entry of each resource type in an export (rounded), the stack and provider entries left out:
 * `{ ApmRole: { total, inputs, … }, … }`, types sorted by name.
 */
export function bytesPerType(exported: string): Record<string, EntryBytes> {
  // `pulumi stack export` wraps the deployment (`{version, deployment: {resources}}`); a bare deployment is read too.
  const parsed = JSON.parse(exported) as { deployment?: { resources?: Entry[] }; resources?: Entry[] };
  const resources = parsed.deployment?.resources ?? parsed.resources ?? [];
  const byType: Record<string, EntryBytes[]> = {};
  for (const r of resources) {
    if (r.type === "pulumi:pulumi:Stack" || r.type.startsWith("pulumi:providers:")) continue;
    (byType[shortType(r.type)] ??= []).push(entryBytes(r));
  }
  const mean = (xs: EntryBytes[], k: keyof EntryBytes) => Math.round(xs.reduce((a, x) => a + x[k], 0) / xs.length);
  return Object.fromEntries(
    Object.keys(byType)
      .sort()
      .map((t) => {
        const xs = byType[t];
        return [
          t,
          {
            total: mean(xs, "total"),
            inputs: mean(xs, "inputs"),
            outputs: mean(xs, "outputs"),
            secrets: mean(xs, "secrets"),
            provider: mean(xs, "provider"),
            engine: mean(xs, "engine"),
          },
        ];
      }),
  );
}

/** One line per type: `ApmRole 812 B (inputs 120, outputs 300, secrets 0, __provider 0, engine 392)`. */
export function formatBytesPerType(figures: Record<string, EntryBytes>): string[] {
  return Object.entries(figures).map(
    ([t, b]) =>
      `${t} ${b.total} B (inputs ${b.inputs}, outputs ${b.outputs}, secrets ${b.secrets}, __provider ${b.provider}, engine ${b.engine})`,
  );
}
