// Turns a resource definition (schema, replace rules, CRUD against Elastic) into the operations both front ends call:
// the engine's six (check, diff, create, read, update, delete), plus importExisting (`pulumi import`) and
// settleInterrupted (what a dead provider process left in the create journal). Pulumi-free: plain objects in and out, the Connection passed in.
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { Connection } from "../elastic/connection";
import type { Target } from "../elastic/target";
import { discardLeftovers, IN_FLIGHT_OUTPUT, isUnresolvedId, live, type Leftover } from "./create-and-reconcile";
import { journaled, settleJournal, settleJournalOnce, type JournaledType, type SettledEntry } from "./journaled-create";
import { ElasticKeysError, attributeError, URN_PLACEHOLDER } from "../elastic/errors";
import { clusterRecord } from "../elastic/cluster";
import { proveServiceAnswers } from "../elastic/service-proof";
import { secretOutputKeys, type OutputDocs } from "./outputs";
import { noteReplacement, noteRetiring, noteSuccessor, replacementOf } from "./replacements";
import {
  assertRecordedCluster,
  CLUSTER_INPUT,
  clusterChange,
  clusterForCheck,
  recordIsNoCluster,
  withCredentialAdvice,
  wrongUrlOfUnresolved,
} from "./cluster-record";

/** Preview sends unknown inputs as this sentinel (the engine's "computed" value). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/**
 * Hidden input the SDK adds so errors can name the resource by its logical name. Not `__name`: Pulumi's Resource
 * already owns that property, and registering an output of the same name throws "already initialized".
 */
export const NAME_INPUT = "__logicalName";
/**
 * Hidden input check computes for resources whose create marks what it makes (create-and-reconcile.ts): random,
 * new for every physical object (a create, a replacement), kept across updates. Stored in state, so a create that
 * died with the process can still be traced (README, Troubleshooting).
 */
export const MARK_INPUT = "__createMark";
/** Hidden input the dynamic SDK sets instead of the `import` option, which its host cannot carry out. */
export const IMPORT_INPUT = "__importId";
const HIDDEN_INPUTS = [NAME_INPUT, MARK_INPUT, IMPORT_INPUT, CLUSTER_INPUT, "__provider"];

type Props = Record<string, unknown>;

/** What every operation gets: the connection to use and the resource's label for messages. */
export interface OperationContext {
  conn: Connection;
  /** e.g. `ApmAgentKey "ingest"` */
  label: string;
  /**
   * Delete only: this delete ends a replacement seen by this process (replacements.ts), with the create mark of the
   * object that replaced it when known, and whether the object already retires (`retirePredecessor`). Absent for a
   * destroy, a removal, or a replacement left pending by a killed CLI.
   */
  replacement?: { successor?: string; retiring?: boolean };
}

export interface ResourceDefinition<I extends Props, O extends Props, T extends string = string> {
  /** The type name users see, e.g. "ApmAgentKey". */
  type: T;
  /** What the resource is, for the SDK's and the plugin schema's docs. */
  description: string;
  /** Output fields beyond the inputs, with their docs and which are secret. */
  outputs: OutputDocs;
  /** The shape an input field is stored and read back in, where it differs from what a program passes. */
  readBack?: Readonly<Record<string, z.ZodType>>;
  /** Strict object schema; its output is the normalised form stored as inputs, its shape lists the input fields. */
  schema: z.ZodType<I> & { shape: Record<string, unknown> };
  /** Input fields whose change replaces the resource; every other input field updates in place. */
  replaceOn: readonly (keyof I & string)[] | "all";
  /** For a replacement that would reuse a unique name: delete the old object first. */
  deleteBeforeReplace?(olds: Props, news: Props): boolean;
  /** The create marks what it makes with MARK_INPUT (metadata the API stores), so its outcome can be proven. */
  marked?: boolean;
  /**
   * Inputs the provider computes (Pulumi's auto-naming convention), from the validated new inputs, the old checked
   * inputs and the logical name. `olds` is undefined on a create and when the engine re-checks a resource it is
   * about to replace, which is when a fresh value must be generated. Throw to refuse the inputs.
   */
  computeInputs?(news: I, olds: I | undefined, logicalName: string): I;
  /**
   * What the user should hear about at preview and up without the inputs being refused (e.g. a name this provider does
   * not know, which Elasticsearch will judge). Each front end shows them as warnings under the resource.
   */
  warnings?(conn: Connection, inputs: I): Promise<string[]> | string[];
  /** Extra checks that need the old inputs (e.g. refusing a replacement that would reuse a reserved name). */
  checkTransition?(olds: I, news: I, replaced: string[], conn: Connection): string | undefined;
  /** Checks against the server before a create (olds absent), e.g. that a unique name is still free. */
  checkCreate?(conn: Connection, news: I): Promise<string | undefined>;
  /**
   * Where the object stands against its schedule and expiry by the server's clock (news: the schedule now declared).
   * Asked by diff when nothing else replaces it: due ⇒ replaced, new object first; notices ⇒ warnings.
   */
  schedule?(ctx: OperationContext, id: string, olds: O & I, news: I): Promise<ScheduleVerdict>;
  /**
   * Asked by diff once a replacement is decided (not for drift, not to another cluster): what the user must know at
   * preview about how the replaced object will end, e.g. that an overlap it asks for will not be had. Undefined: nothing.
   */
  replacementNotice?(ctx: OperationContext, id: string, olds: O & I): Promise<string | undefined>;
  /**
   * Right after a create made the successor of an object this process saw replaced (not for drift): let the old one
   * start retiring (an overlap) instead of waiting for its delete, so that a CLI killed between the two cannot cost
   * the overlap. True when it now retires; its delete then leaves it to expire. Never fails the create.
   */
  retirePredecessor?(ctx: OperationContext, id: string, olds: O & I, successorMark: string): Promise<boolean>;
  /** Drift that no input field can express (read stores it in an output): forces an in-place update. */
  hasDrift?(olds: Props): boolean;
  /** Drift that an in-place update cannot repair: forces a replacement (created before the old one goes). */
  driftReplaces?(olds: Props): boolean;
  /** The service the resource lives on (throws the error naming the settings when they are missing). */
  target(conn: Connection): Target;
  /**
   * What proves which objects a create made, for the create journal (create-journal.ts): the create mark of a marked
   * resource unless this says otherwise; undefined when nothing can prove it (no journal entry is kept).
   */
  journalMark?(inputs: I): string | undefined;
  /**
   * A minimal valid declaration of this resource, its name(s) derived from `name` (unique per call) and a Fleet agent
   * policy id for those that need one: what the benchmark and the soaks deploy of each registered type.
   */
  example(at: { name: string; policyId: string }): Record<string, unknown>;
  /**
   * The fewest requests a create can make, as `METHOD /path` routes with `{name}`, `{id}`, `{space}` placeholders:
   * `each` for every create, `oncePerProcess` before the first (e.g. the caller's identity). The benchmark holds every
   * create to it, so a create that looks first or retries shows (README, Performance); without it, every request of
   * the type's creates shows as beyond the minimum.
   */
  createRequests?: { each: readonly string[]; oncePerProcess?: readonly string[] };
  /** What to do instead of the `import` resource option, which the dynamic front end cannot carry out. */
  insteadOfImport: string;
  create(ctx: OperationContext, inputs: I, mark: string | undefined): Promise<{ id: string; outs: O }>;
  /** Live outputs, or undefined when the server proves the object gone (refresh then drops it from state). */
  read(ctx: OperationContext, id: string, olds: O & I): Promise<O | undefined>;
  update?(ctx: OperationContext, id: string, olds: O & I, news: I): Promise<O>;
  delete(ctx: OperationContext, id: string, olds: O & I): Promise<void>;
  /**
   * What a create kept in state unresolved (create-and-reconcile.ts) made, found from its outputs by its mark: live
   * objects to remove, and dead ones (already invalidated or revoked) that prove it was carried out.
   */
  unresolvedLeftovers(ctx: OperationContext, outs: Props): Promise<Leftover<{ id: string }>[]>;
  /**
   * An existing object taken under management (`pulumi import`): its inputs and outputs, read from the server, or
   * undefined when the server proves it does not exist. Absent where an import cannot be made safe (keys whose secret
   * cannot be read back): then import is refused with `insteadOfImport`.
   */
  importExisting?(ctx: OperationContext, id: string): Promise<{ id: string; inputs: I; outs: O } | undefined>;
}

/** Where a key stands against its schedule and expiry, by the server's clock (diff asks; README, Rotation). */
export interface ScheduleVerdict {
  /** Due now: the field that scheduled it (the replace key preview shows) and why. */
  due?: { field: string; reason: string };
  /** What is coming within the warning horizon (expiry, rotation), for warnings. */
  notices: string[];
}

export interface CheckFailure {
  property: string;
  reason: string;
}

/** What check answers: the inputs to use, or why they are refused; with accepted inputs, warnings (labelled). */
export interface CheckResult {
  inputs?: Props;
  failures?: CheckFailure[];
  warnings?: string[];
}

/** What a create ends in, when it does not fail outright: created, or a partial state for the engine to keep. */
export type CreateOutcome =
  | { created: { id: string; outs: Props }; partial?: undefined; error?: undefined }
  | { partial: { id: string; outs: Props }; error: ElasticKeysError; created?: undefined };

export interface Lifecycle {
  check(conn: Connection, olds: Props, news: Props): Promise<CheckResult>;
  /** With `conn`, a scheduled resource is also judged against its schedule (ResourceDefinition.schedule). */
  diff(
    id: string,
    olds: Props,
    news: Props,
    conn?: Connection,
  ): Promise<{ changes: boolean; replaces?: string[]; deleteBeforeReplace?: boolean; changed?: string[] }>;
  create(conn: Connection, inputs: Props): Promise<{ id: string; outs: Props }>;
  /**
   * create, with a create that could not be settled returned as a value: the partial state the engine must keep (its
   * id and outputs, so the next operation settles it by its mark) and why. What both front ends call.
   */
  createOutcome(conn: Connection, inputs: Props): Promise<CreateOutcome>;
  read(conn: Connection, id: string, props?: Props): Promise<{ id?: string; props?: Props }>;
  update(conn: Connection, id: string, olds: Props, news: Props): Promise<{ outs: Props }>;
  delete(conn: Connection, id: string, props: Props): Promise<void>;
  /** `pulumi import`: the existing object's inputs and outputs, or `{}` when it does not exist. */
  importExisting(conn: Connection, id: string): Promise<{ id?: string; inputs?: Props; props?: Props }>;
  /** Settles what creates of this type interrupted by a dead provider process left (the create journal). */
  settleInterrupted(conn: Connection): Promise<SettledEntry[]>;
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

function withoutHidden(props: Props): Props {
  return Object.fromEntries(Object.entries(props).filter(([k]) => !HIDDEN_INPUTS.includes(k)));
}

function hidden(props: Props): Props {
  return Object.fromEntries(
    Object.entries(props).filter(([k]) => k === NAME_INPUT || k === MARK_INPUT || k === CLUSTER_INPUT),
  );
}

/** A lifecycle keeps its definition, so documentation and the plugin schema derive from the same facts. */
export type DefinedLifecycle<T extends string = string> = Lifecycle & {
  readonly definition: ResourceDefinition<Props, Props, T>;
};

/** Why an unresolved create still in flight cannot be settled yet. */
function stillInFlight(props: Props): string {
  return `the create given up on at ${String(props[IN_FLIGHT_OUTPUT])} (no answer in time) has not shown what it made yet (mark ${String(props[MARK_INPUT] ?? props.name ?? "")}); the server may still carry it out`;
}

/** What the user hears when a create recorded at a URL that is no cluster was settled where the settings point now. */
function rehomedNotice(target: Target, props: Props, removed: { id: string }[]): string {
  const found = removed.length
    ? `it had made ${removed.map((l) => l.id).join(", ")}, which is removed`
    : "it made nothing that is live there";
  return `this create that never resolved was recorded at ${String(props[CLUSTER_INPUT])}, where ${target.service} does not answer (a wrong URL, corrected since), so it was looked for by its mark at ${clusterRecord(target.urls)}, where the settings point now: ${found}`;
}

/** The replace key of drift that only a replacement repairs (`driftReplaces`). */
const DRIFT_REPLACE_KEY = "__drift";

/** The replace key an unresolved create reports, so the next `up` replaces it (and settles what it left). */
const UNRESOLVED_REPLACE_KEY = "__unresolvedCreate";

/** The members a definition may leave out, and what they default to. */
type Defaulted = "outputs" | "replaceOn" | "insteadOfImport";
export type ResourceDefinitionInput<I extends Props, O extends Props, T extends string = string> = Omit<
  ResourceDefinition<I, O, T>,
  Defaulted
> &
  Partial<Pick<ResourceDefinition<I, O, T>, Defaulted>>;

/** No outputs beyond the inputs; every input change replaces; import as the README says for the native plugin. */
const DEFAULTS: Pick<ResourceDefinition<Props, Props>, Defaulted> = {
  outputs: {},
  replaceOn: "all",
  insteadOfImport:
    "Import it with the native plugin (`pulumi import`, see README), or let this resource create a new one.",
};

export function defineLifecycle<I extends Props, O extends Props, T extends string>(
  given: ResourceDefinitionInput<I, O, T>,
): DefinedLifecycle<T> {
  const def = { ...DEFAULTS, ...given } as ResourceDefinition<I, O, T>;
  const inputFields = Object.keys(def.schema.shape);
  const journalType: JournaledType = {
    type: def.type,
    target: (conn) => def.target(conn),
    leftovers: (conn, resourceLabel, outs) => def.unresolvedLeftovers({ conn, label: resourceLabel }, outs),
  };
  const secretOutputs = secretOutputKeys(def.outputs);
  /**
   * Every operation runs inside: its error names the resource and leaves without any secret the connection knows,
   * the secret outputs of the state it acts on included (a key issued by an earlier process).
   */
  const guard = async <T>(conn: Connection, props: Props | undefined, fn: (ctx: OperationContext) => Promise<T>) => {
    const ctx = { conn, label: label(def.type, props) };
    for (const key of secretOutputs) if (typeof props?.[key] === "string") conn.keepSecret(props[key]);
    try {
      return await fn(ctx);
    } catch (err) {
      throw conn.redactError(attributeError(ctx.label, withCredentialAdvice(conn, err)));
    }
  };
  /**
   * An operation that writes or reads the server: first, what interrupted creates of this type left is settled. With
   * `recorded` (the state of a resource it acts on), nothing at all is sent unless the connection reaches the
   * cluster that state records (cluster-record.ts).
   */
  const operation = <T>(
    conn: Connection,
    props: Props | undefined,
    fn: (ctx: OperationContext) => Promise<T>,
    recorded?: Props,
  ) =>
    guard(conn, props, async (ctx) => {
      if (recorded) assertRecordedCluster(conn, def.target(conn), recorded);
      await settleJournalOnce(conn, journalType);
      return fn(ctx);
    });
  /** An operation on the object a resource's state records: only on the cluster that state records. */
  const onRecordedCluster = <T>(conn: Connection, props: Props, fn: (ctx: OperationContext) => Promise<T>) =>
    operation(conn, props, fn, props);
  /**
   * An operation on a create that never resolved: on the cluster its state records, or — when that record names no
   * cluster (something else answers there: a wrong URL, cluster-record.ts recordIsNoCluster) — where the settings
   * point now (`rehomed`). A mark search answered by something other than the service says what to do.
   */
  const onUnresolved = <T>(
    conn: Connection,
    props: Props,
    fn: (ctx: OperationContext, rehomed: boolean) => Promise<T>,
  ) =>
    guard(conn, props, async (ctx) => {
      const target = def.target(conn);
      const rehomed = await recordIsNoCluster(target, props);
      if (!rehomed) assertRecordedCluster(conn, target, props);
      await settleJournalOnce(conn, journalType);
      const mark = String(props[MARK_INPUT] ?? props.name ?? "");
      try {
        return await fn(ctx, rehomed);
      } catch (err) {
        throw rehomed ? err : await wrongUrlOfUnresolved(conn, target, props, mark, err);
      }
    });
  /** The schedule's verdict, said as warnings; a verdict that cannot be had is a warning, never a failed preview. */
  const judgeSchedule = async (conn: Connection, id: string, olds: Props, news: Props) => {
    const resourceLabel = label(def.type, olds);
    try {
      assertRecordedCluster(conn, def.target(conn), olds);
      const verdict = await def.schedule!({ conn, label: resourceLabel }, id, olds as O & I, withoutHidden(news) as I);
      if (verdict.due)
        await conn.warn(`${resourceLabel}: ${verdict.due.reason}: this update replaces it (the new key first)`);
      for (const notice of verdict.notices) await conn.warn(`${resourceLabel}: ${notice}`);
      return verdict;
    } catch (err) {
      await conn.warn(
        `${resourceLabel}: its rotation schedule and expiry could not be judged now (${err instanceof Error ? err.message : String(err)}); run preview again once the server answers`,
      );
      return undefined;
    }
  };
  /** What the definition says about a replacement's end; one that cannot be worked out now is said by `up` instead. */
  const sayReplacementNotice = async (conn: Connection, id: string, olds: Props) => {
    const resourceLabel = label(def.type, olds);
    const notice = await def.replacementNotice!({ conn, label: resourceLabel }, id, olds as O & I).catch(
      () => undefined,
    );
    if (notice) await conn.warn(`${resourceLabel}: ${notice}`);
  };
  const replacedFields = (olds: Props, news: Props): string[] => {
    const changed = inputFields.filter((k) => !sameValue(olds[k], news[k]));
    return def.replaceOn === "all" ? changed : changed.filter((k) => (def.replaceOn as readonly string[]).includes(k));
  };

  const lifecycle: DefinedLifecycle<T> = {
    definition: def as unknown as ResourceDefinition<Props, Props, T>,

    async check(conn, olds, news) {
      if (news[IMPORT_INPUT] !== undefined)
        return {
          failures: [
            {
              property: "",
              reason: `the \`import\` resource option is not supported by this package's dynamic resources (the dynamic-provider host cannot import). ${def.insteadOfImport}`,
            },
          ],
        };
      const raw = withoutHidden(news);
      const parsed = def.schema.safeParse(raw);
      const failures: CheckFailure[] = [];
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          if (touchesUnknown(raw, issue.path)) continue; // validated again once the value is known
          const field = issue.path.join(".") || "(inputs)";
          // property "" keeps the engine from printing the value, which could be secret.
          failures.push({ property: "", reason: `${field}: ${issue.message}` });
        }
      }
      let cluster: Awaited<ReturnType<typeof clusterForCheck>> | undefined;
      try {
        conn.checkSettingValues();
        cluster = await clusterForCheck(conn, def.target(conn), olds);
      } catch (err) {
        failures.push({ property: "", reason: conn.messageOf(err) });
      }
      if (cluster?.refusal) failures.push({ property: "", reason: cluster.refusal });
      if (failures.length > 0 || !cluster) return { failures };
      if (!parsed.success) return { inputs: news }; // only unknowns failed: checked again once they are known
      const oldParsed =
        olds && Object.keys(withoutHidden(olds)).length > 0 ? def.schema.safeParse(withoutHidden(olds)) : undefined;
      const oldInputs = oldParsed?.success ? oldParsed.data : undefined;
      let data = parsed.data;
      const logicalName = typeof news[NAME_INPUT] === "string" ? news[NAME_INPUT] : "";
      try {
        if (def.computeInputs) data = def.computeInputs(data, oldInputs, logicalName);
        if (oldInputs) {
          const replaced = replacedFields(oldInputs, data);
          const refusal = replaced.length > 0 ? def.checkTransition?.(oldInputs, data, replaced, conn) : undefined;
          if (refusal) return { failures: [{ property: "", reason: refusal }] };
        } else if (def.checkCreate) {
          const refusal = await def.checkCreate(conn, data);
          if (refusal) return { failures: [{ property: "", reason: refusal }] };
        }
      } catch (err) {
        const e = withCredentialAdvice(conn, err);
        return { failures: [{ property: "", reason: conn.messageOf(e) }] };
      }
      const mark = def.marked
        ? typeof olds?.[MARK_INPUT] === "string" && oldInputs
          ? olds[MARK_INPUT]
          : randomUUID()
        : undefined;
      // A warning that cannot be worked out (e.g. the server is unreachable at preview) is no reason to refuse.
      const warnings = def.warnings ? await Promise.resolve(def.warnings(conn, data)).catch(() => []) : [];
      return {
        inputs: withoutUndefined({
          ...data,
          [NAME_INPUT]: news[NAME_INPUT],
          [MARK_INPUT]: mark,
          [CLUSTER_INPUT]: cluster.record,
        }),
        ...(warnings.length ? { warnings: warnings.map((w) => `${label(def.type, news)}: ${w}`) } : {}),
      };
    },

    async diff(id, olds, news, conn) {
      if (isUnresolvedId(id))
        return {
          changes: true,
          replaces: [UNRESOLVED_REPLACE_KEY],
          deleteBeforeReplace: false,
          changed: [UNRESOLVED_REPLACE_KEY],
        };
      const changed = inputFields.filter((k) => containsUnknown(news[k]) || !sameValue(olds[k], news[k]));
      const replaces =
        def.replaceOn === "all"
          ? [...changed]
          : changed.filter((k) => (def.replaceOn as readonly string[]).includes(k));
      // A resource on another cluster is a new one there (the old one is deleted with the old connection).
      const cluster = clusterChange(olds, news);
      if (cluster) changed.push(CLUSTER_INPUT);
      if (cluster === "moved") replaces.push(CLUSTER_INPUT);
      if (def.driftReplaces?.(olds)) {
        changed.push(DRIFT_REPLACE_KEY);
        replaces.push(DRIFT_REPLACE_KEY);
      }
      if (conn && def.schedule && replaces.length === 0 && !containsUnknown(news)) {
        const verdict = await judgeSchedule(conn, id, olds, news);
        if (verdict?.due) {
          replaces.push(verdict.due.field);
          if (!changed.includes(verdict.due.field)) changed.push(verdict.due.field);
        }
      }
      // A replacement may let the old object retire (an overlap, R13 of the key resources), but never one replaced
      // for drift: what was changed outside Pulumi (e.g. a widened key) goes at once.
      if (replaces.length > 0 && !replaces.includes(DRIFT_REPLACE_KEY)) {
        if (conn) noteReplacement(conn, id, label(def.type, olds), olds);
        if (conn && def.replacementNotice && !replaces.includes(CLUSTER_INPUT))
          await sayReplacementNotice(conn, id, olds);
      }
      return {
        changes: changed.length > 0 || def.hasDrift?.(olds) === true,
        replaces,
        deleteBeforeReplace: replaces.length > 0 && def.deleteBeforeReplace?.(olds, news) === true,
        changed,
      };
    },

    create: (conn, inputs) =>
      operation(conn, inputs, async (ctx) => {
        const mark = typeof inputs[MARK_INPUT] === "string" ? inputs[MARK_INPUT] : undefined;
        if (def.marked && !mark)
          throw new ElasticKeysError("internal", "no create mark was computed (provider bug: check computes one)");
        const stored = (outs: Props) => withoutUndefined({ ...withoutHidden(inputs), ...outs, ...hidden(inputs) });
        // A wrong URL fails here, naming the setting, before anything is sent or written (service-proof.ts).
        await proveServiceAnswers(conn, def.target(conn));
        const journalMark = def.journalMark ? def.journalMark(withoutHidden(inputs) as I) : mark;
        const predecessor = noteSuccessor(conn, ctx.label, mark);
        return journaled(conn, journalType, { mark: journalMark, label: ctx.label, outs: stored({}) }, async () => {
          try {
            const { id, outs } = await def.create(ctx, withoutHidden(inputs) as I, mark);
            if (predecessor && mark && def.retirePredecessor) {
              const retiring = await def
                .retirePredecessor(ctx, predecessor.id, predecessor.olds as O & I, mark)
                .catch(async (err: unknown) => {
                  await conn.warn(
                    `${ctx.label}: the object it replaces (${predecessor.id}) could not start retiring now (${err instanceof Error ? err.message : String(err)}); it goes when the replacement ends`,
                  );
                  return false;
                });
              if (retiring) noteRetiring(conn, predecessor.id);
            }
            return { id, outs: stored(outs) };
          } catch (err) {
            // An unresolved create keeps its inputs and mark in state, so read and delete can settle it later.
            if (err instanceof ElasticKeysError && err.details.partialState) {
              const { id, outs } = err.details.partialState;
              throw err.with({ partialState: { id, outs: stored(outs) } });
            }
            throw err;
          }
        });
      }),

    async createOutcome(conn, inputs) {
      try {
        return { created: await lifecycle.create(conn, inputs) };
      } catch (err) {
        const partial = err instanceof ElasticKeysError ? err.details.partialState : undefined;
        if (!partial) throw err;
        return { partial, error: err as ElasticKeysError };
      }
    },

    read: (conn, id, props = {}) =>
      isUnresolvedId(id)
        ? onUnresolved(conn, props, async (ctx, rehomed) => {
            // Kept in state until the server proves that nothing the create made is live — and, for a create still
            // in flight, until what it made shows up: finding nothing yet proves nothing.
            const leftovers = await def.unresolvedLeftovers(ctx, props);
            if (rehomed) {
              // Found where the settings point now, it could not be kept there (its record names no cluster):
              // removed now, as the next up would.
              await discardLeftovers(leftovers);
              await conn.warn(`${ctx.label}: ${rehomedNotice(def.target(conn), props, live(leftovers))}`);
            } else if (live(leftovers).length > 0) return { id, props };
            if (leftovers.length > 0 || props[IN_FLIGHT_OUTPUT] === undefined) return {}; // landed, and gone since
            await conn.warn(`${ctx.label}: ${stillInFlight(props)}; it stays in state until it does`);
            return { id, props };
          })
        : onRecordedCluster(conn, props, async (ctx) => {
            const current = await def.read(ctx, id, props as O & I);
            if (!current) return {}; // gone: the engine drops it from state and the next `up` recreates it
            return { id, props: withoutUndefined({ ...props, ...current }) };
          }),

    update: (conn, id, olds, news) =>
      operation(conn, news, async (ctx) => {
        // Only the cluster record is new (state from before it existed, or a node added): nothing to send.
        const recordOnly = inputFields.every((k) => sameValue(olds[k], news[k])) && def.hasDrift?.(olds) !== true;
        if (recordOnly && !isUnresolvedId(id)) return { outs: withoutUndefined({ ...olds, ...hidden(news) }) };
        if (!def.update || isUnresolvedId(id))
          throw new ElasticKeysError(
            "internal",
            "this resource cannot be updated in place (provider bug: diff should have replaced it)",
          );
        const outs = await def.update(ctx, id, olds as O & I, withoutHidden(news) as I);
        return { outs: withoutUndefined({ ...olds, ...withoutHidden(news), ...outs, ...hidden(news) }) };
      }),

    settleInterrupted: (conn) => settleJournal(conn, journalType),

    importExisting: (conn, id) =>
      guard(conn, undefined, async (ctx) => {
        if (!def.importExisting)
          throw new ElasticKeysError("invalid_input", `${def.type} cannot be imported. ${def.insteadOfImport}`);
        const found = await def.importExisting(ctx, id);
        if (!found) return {};
        const inputs = withoutUndefined(found.inputs);
        // What is imported must be what the program can declare: inputs that check would refuse would leave a
        // resource no program can keep without changing the object. Refused, naming why, before anything is written.
        const parsed = def.schema.safeParse(inputs);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw new ElasticKeysError(
            "invalid_input",
            `${id} cannot be imported as an ${def.type}: read back, ${issue.path.length ? `its field \`${issue.path.join(".")}\` holds` : "it holds"} a value this resource cannot declare (${issue.message})`,
            { fix: def.insteadOfImport },
          );
        }
        const recorded = { ...inputs, [CLUSTER_INPUT]: clusterRecord(def.target(conn).urls) };
        return { id: found.id, inputs: recorded, props: withoutUndefined({ ...recorded, ...found.outs }) };
      }),

    delete: (conn, id, props) =>
      isUnresolvedId(id)
        ? onUnresolved(conn, props, async (ctx, rehomed) => {
            // Everything the unresolved create made goes; nothing else is touched.
            const leftovers = await def.unresolvedLeftovers(ctx, props);
            if (leftovers.length === 0 && props[IN_FLIGHT_OUTPUT] !== undefined)
              throw new ElasticKeysError("undecidable", stillInFlight(props), {
                fix: `run \`pulumi up\` or \`pulumi destroy\` again later: once it lands it is found by its mark and removed. If you know the request can no longer be carried out (e.g. ${def.target(conn).service} was restarted after ${String(props[IN_FLIGHT_OUTPUT])}), remove this record from state with \`pulumi state delete ${URN_PLACEHOLDER}\``,
              });
            await discardLeftovers(leftovers);
            if (rehomed) await conn.warn(`${ctx.label}: ${rehomedNotice(def.target(conn), props, live(leftovers))}`);
          })
        : onRecordedCluster(conn, props, async (ctx) => {
            const replacement = replacementOf(conn, id);
            await def.delete(replacement ? { ...ctx, replacement } : ctx, id, props as O & I);
          }),
  };
  return lifecycle;
}
