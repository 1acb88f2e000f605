// Property values between the engine's wire form and plain objects. The plugin accepts secrets, so the engine sends
// secret values wrapped in its signature object and expects secret outputs back in the same form; everything else
// is plain JSON in a protobuf Struct. Unknown values (preview) arrive as the engine's sentinel string, which the
// lifecycle already understands.
import type { Struct } from "google-protobuf/google/protobuf/struct_pb";

type Props = Record<string, unknown>;

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

const isSecret = (v: unknown): v is { value: unknown } =>
  !!v && typeof v === "object" && (v as Props)[SIG] === SECRET_SIG;

/** A wire value without secret wrappers, and whether any part of it was secret. */
export function unwrap(v: unknown): { value: unknown; secret: boolean } {
  if (isSecret(v)) return { value: unwrap(v.value).value, secret: true };
  if (Array.isArray(v)) {
    const items = v.map(unwrap);
    return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
  }
  if (v && typeof v === "object") {
    const entries = Object.entries(v as Props).map(([k, x]) => [k, unwrap(x)] as const);
    return {
      value: Object.fromEntries(entries.map(([k, x]) => [k, x.value])),
      secret: entries.some(([, x]) => x.secret),
    };
  }
  return { value: v, secret: false };
}

export const secret = (value: unknown): Props => ({ [SIG]: SECRET_SIG, value });

/** Plain properties from a Struct, and the names of the top-level properties that were (or held) secrets. */
export function fromStruct(s: Struct | undefined): { props: Props; secretKeys: Set<string> } {
  const props: Props = {};
  const secretKeys = new Set<string>();
  for (const [k, v] of Object.entries(s?.toJavaScript() ?? {})) {
    const u = unwrap(v);
    props[k] = u.value;
    if (u.secret) secretKeys.add(k);
  }
  return { props, secretKeys };
}

/** A Struct of the properties, the given keys wrapped as secrets. `undefined` values are left out. */
export function toStruct(props: Props, secretKeys: Iterable<string>, StructClass: typeof Struct): Struct {
  const keys = new Set(secretKeys);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(props)) if (v !== undefined) out[k] = keys.has(k) ? secret(v) : (v as never);
  return StructClass.fromJavaScript(out as never);
}
