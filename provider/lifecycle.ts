// Turns a resource definition (schema, replace rules, CRUD against Elastic) into the six operations the dynamic
// provider shim calls. Pulumi-free: plain objects in, plain objects out.
import type { z } from "zod";
import { ElasticKeysError, attributeError } from "./errors";

/** Preview sends unknown inputs as this sentinel (pulumi-notes 4.3). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/**
 * Hidden input the SDK adds so errors can name the resource by its logical name. Not `__name`: Pulumi's Resource
 * already owns that property, and registering an output of the same name throws "already initialized".
 */
export const NAME_INPUT = "__logicalName";

type Props = Record<string, unknown>;

export interface ResourceDefinition<I extends Props, O extends Props> {
  /** The type name users see, e.g. "ApmAgentKey". */
  type: string;
  /** Strict object schema; its output is the normalised form stored as inputs, its shape lists the input fields. */
  schema: z.ZodType<I> & { shape: Record<string, unknown> };
  /** Input fields whose change replaces the resource; every other input field updates in place. */
  replaceOn: readonly (keyof I & string)[] | "all";
  /** Only for resources with unique names that a replacement reuses (roles). */
  deleteBeforeReplace?: boolean;
  /**
   * Inputs the provider computes (Pulumi's auto-naming convention), from the validated new inputs, the old checked
   * inputs and the logical name. `olds` is undefined on a create and when the engine re-checks a resource it is
   * about to replace, which is when a fresh value must be generated. Throw to refuse the inputs.
   */
  computeInputs?(news: I, olds: I | undefined, logicalName: string): I;
  /** Extra checks that need the old inputs (e.g. refusing a replacement that would reuse a reserved name). */
  checkTransition?(olds: I, news: I, replaced: string[]): string | undefined;
  /** Drift that no input field can express (read stores it in an output): forces an in-place update. */
  hasDrift?(olds: Props): boolean;
  /** Extra checks on the whole input that need the connection (e.g. that the settings exist). */
  checkSettings?(): void;
  create(inputs: I, label: string): Promise<{ id: string; outs: O }>;
  /** Live outputs, or undefined when the object is gone (refresh then drops it from state). */
  read(id: string, olds: O & I, label: string): Promise<O | undefined>;
  update?(id: string, olds: O & I, news: I, label: string): Promise<O>;
  delete(id: string, olds: O & I, label: string): Promise<void>;
}

export interface CheckFailure {
  property: string;
  reason: string;
}

export interface Lifecycle {
  check(olds: Props, news: Props): Promise<{ inputs?: Props; failures?: CheckFailure[] }>;
  diff(
    id: string,
    olds: Props,
    news: Props,
  ): Promise<{ changes: boolean; replaces?: string[]; deleteBeforeReplace?: boolean }>;
  create(inputs: Props): Promise<{ id: string; outs: Props }>;
  read(id: string, props?: Props): Promise<{ id?: string; props?: Props }>;
  update(id: string, olds: Props, news: Props): Promise<{ outs: Props }>;
  delete(id: string, props: Props): Promise<void>;
}

function containsUnknown(v: unknown): boolean {
  if (v === UNKNOWN) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (v && typeof v === "object") return Object.values(v).some(containsUnknown);
  return false;
}

function valueAt(obj: unknown, path: readonly PropertyKey[]): unknown {
  let cur = obj;
  for (const key of path) {
    if (cur === UNKNOWN) return UNKNOWN;
    cur = cur && typeof cur === "object" ? (cur as Record<PropertyKey, unknown>)[key] : undefined;
  }
  return cur;
}

function touchesUnknown(obj: unknown, path: readonly PropertyKey[]): boolean {
  for (let i = 0; i <= path.length; i++) if (valueAt(obj, path.slice(0, i)) === UNKNOWN) return true;
  return containsUnknown(valueAt(obj, path));
}

/** Stable JSON: object keys sorted, so comparisons ignore key order. */
export function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, value: unknown) =>
    value && typeof value === "object" && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value as Props).sort(([a], [b]) => a.localeCompare(b)))
      : value,
  );
}

/**
 * Whether two input values are the same, ignoring object key order and keys whose value is undefined (what
 * comparing `canonical` strings means), without building the strings: diff and check run it for every field of
 * every resource on the engine's serial path.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b))
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (!a || !b || typeof a !== "object" || typeof b !== "object") return false;
  const defined = (o: object) => Object.keys(o).filter((k) => (o as Props)[k] !== undefined);
  const keys = defined(a);
  return keys.length === defined(b).length && keys.every((k) => sameValue((a as Props)[k], (b as Props)[k]));
}

export function label(type: string, props: Props | undefined): string {
  const name = props?.[NAME_INPUT];
  return typeof name === "string" ? `${type} "${name}"` : type;
}

/**
 * The engine's struct encoding refuses `undefined` ("Unexpected struct type"): an optional output that has no value
 * is left out instead, at any depth.
 */
export function withoutUndefined(props: Props): Props {
  const clean = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(clean)
      : v && typeof v === "object"
        ? Object.fromEntries(
            Object.entries(v as Props)
              .filter(([, x]) => x !== undefined)
              .map(([k, x]) => [k, clean(x)]),
          )
        : v;
  return clean(props) as Props;
}

function withoutName(props: Props): Props {
  const { [NAME_INPUT]: _name, __provider: _provider, ...rest } = props;
  return rest;
}

/** A lifecycle keeps its definition, so documentation can be generated from the same schema and replace rules. */
export type DefinedLifecycle = Lifecycle & { readonly definition: ResourceDefinition<Props, Props> };

export function defineLifecycle<I extends Props, O extends Props>(def: ResourceDefinition<I, O>): DefinedLifecycle {
  const inputFields = Object.keys(def.schema.shape);
  const guard = async <T>(props: Props | undefined, fn: (name: string) => Promise<T>): Promise<T> => {
    const name = label(def.type, props);
    try {
      return await fn(name);
    } catch (err) {
      throw attributeError(name, err);
    }
  };

  return {
    definition: def as unknown as ResourceDefinition<Props, Props>,
    async check(olds, news) {
      const raw = withoutName(news);
      const parsed = def.schema.safeParse(raw);
      const failures: CheckFailure[] = [];
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          if (touchesUnknown(raw, issue.path)) continue; // validated again once the value is known
          const field = issue.path.join(".") || "(inputs)";
          // property "" keeps the engine from printing the value, which could be secret (pulumi-notes 4.5).
          failures.push({ property: "", reason: `${field}: ${issue.message}` });
        }
      }
      try {
        def.checkSettings?.();
      } catch (err) {
        failures.push({ property: "", reason: err instanceof Error ? err.message : String(err) });
      }
      if (failures.length > 0) return { failures };
      if (!parsed.success) return { inputs: news }; // only unknowns failed: checked again once they are known
      const oldParsed =
        olds && Object.keys(withoutName(olds)).length > 0 ? def.schema.safeParse(withoutName(olds)) : undefined;
      const oldInputs = oldParsed?.success ? oldParsed.data : undefined;
      let data = parsed.data;
      if (def.computeInputs) {
        try {
          data = def.computeInputs(data, oldInputs, typeof news[NAME_INPUT] === "string" ? news[NAME_INPUT] : "");
        } catch (err) {
          return { failures: [{ property: "", reason: err instanceof Error ? err.message : String(err) }] };
        }
      }
      if (oldInputs) {
        const replaced = replacedFields(def, oldInputs, data);
        const refusal = replaced.length > 0 ? def.checkTransition?.(oldInputs, data, replaced) : undefined;
        if (refusal) return { failures: [{ property: "", reason: refusal }] };
      }
      return { inputs: { ...data, [NAME_INPUT]: news[NAME_INPUT] } };
    },

    async diff(_id, olds, news) {
      const changed = inputFields.filter((k) => containsUnknown(news[k]) || !sameValue(olds[k], news[k]));
      const replaces =
        def.replaceOn === "all" ? changed : changed.filter((k) => (def.replaceOn as readonly string[]).includes(k));
      return {
        changes: changed.length > 0 || def.hasDrift?.(olds) === true,
        replaces,
        deleteBeforeReplace: replaces.length > 0 && def.deleteBeforeReplace === true,
      };
    },

    create: (inputs) =>
      guard(inputs, async (name) => {
        const { id, outs } = await def.create(withoutName(inputs) as I, name);
        return { id, outs: withoutUndefined({ ...withoutName(inputs), ...outs, [NAME_INPUT]: inputs[NAME_INPUT] }) };
      }),

    read: (id, props = {}) =>
      guard(props, async (name) => {
        const live = await def.read(id, props as O & I, name);
        if (!live) return {}; // gone: the engine drops it from state and the next `up` recreates it
        return { id, props: withoutUndefined({ ...props, ...live }) };
      }),

    update: (id, olds, news) =>
      guard(news, async (name) => {
        if (!def.update)
          throw new ElasticKeysError(
            "this resource cannot be updated in place (provider bug: diff should have replaced it)",
          );
        const outs = await def.update(id, olds as O & I, withoutName(news) as I, name);
        return { outs: withoutUndefined({ ...olds, ...withoutName(news), ...outs, [NAME_INPUT]: news[NAME_INPUT] }) };
      }),

    delete: (id, props) => guard(props, (name) => def.delete(id, props as O & I, name)),
  };
}

function replacedFields<I extends Props, O extends Props>(
  def: ResourceDefinition<I, O>,
  olds: Props,
  news: Props,
): string[] {
  const changed = Object.keys(def.schema.shape).filter((k) => !sameValue(olds[k], news[k]));
  return def.replaceOn === "all" ? changed : changed.filter((k) => (def.replaceOn as readonly string[]).includes(k));
}
