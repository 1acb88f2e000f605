// Whether the stacks' state tells the truth about the server (issue 13's soak figures): what the emulator holds,
// counted against what every stack's state holds. Pure: admin state and stack exports in, counts out.
import type { AdminState } from "../../emulator";

export interface StoredResource {
  urn: string;
  type: string;
  id?: string;
  /** `<provider urn>::<provider id>`: which provider (so which cluster) the resource lives on. */
  provider?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

/** The resources of a deployment: `pulumi stack export`'s whole text, or its `deployment` alone. */
export function resourcesOf(exported: string): StoredResource[] {
  const parsed = JSON.parse(exported) as {
    resources?: StoredResource[];
    deployment?: { resources?: StoredResource[] };
  };
  return parsed.resources ?? parsed.deployment?.resources ?? [];
}

export interface Truth {
  /**
   * Live Elasticsearch keys, active Fleet keys and roles carrying a create mark, made in the scenario, that no stack's
   * state holds (goal 0).
   */
  liveInNoState: number;
  /** Key resources in a stack's state whose key is invalidated, expired or revoked, roles whose role is gone (goal 0). */
  inStateButDead: number;
  /** Keys held by one stack's state that were invalidated while only creates ran (someone else's clean-up; goal 0). */
  invalidatedOwnedByAnother: number;
  /** Resources that left a stack's state since the last count while their key is still live (goal 0). */
  droppedWhileLive: number;
  /** For the record: live keys, roles carrying a create mark, key resources in state, unresolved creates held in state. */
  liveKeys: number;
  markedRoles: number;
  keyResourcesInState: number;
  unresolvedInState: number;
}

const typeOf = (r: StoredResource) => r.type.split(":").pop() ?? r.type;
const KEY_TYPES = new Set(["ApmAgentKey", "CrossClusterApiKey", "EnrollmentApiKey"]);
const isRole = (r: StoredResource) => typeOf(r) === "ApmRole";
const MARK_METADATA = "pulumi_elastic_keys_create";

/** What a key resource's state entry holds: its key's id, or (an unresolved create) the mark that finds its keys. */
function heldBy(r: StoredResource): { id?: string; mark?: string; fleetName?: string } {
  const out = r.outputs ?? {};
  if (r.id?.startsWith("unresolved-create:")) {
    return typeOf(r) === "EnrollmentApiKey"
      ? { fleetName: `${String(out.policyId)}/${String(out.name)}` }
      : { mark: String(out.__createMark) };
  }
  return { id: r.id };
}

export interface TruthInput {
  state: AdminState;
  /** Each stack's resources now. */
  stacks: StoredResource[][];
  /** Keys that existed before the scenario (not counted). */
  preexisting: ReadonlySet<string>;
  /** Each stack's resources at the previous count, to find resources dropped while live. */
  previous?: StoredResource[][];
  /** Only creates ran since the previous count: any key a state holds that is dead was killed by someone else. */
  onlyCreatesRan?: boolean;
  /** Create marks held elsewhere than in a state (a create journal a new process will settle): counted as held. */
  journalMarks?: ReadonlySet<string>;
  /** The same for Fleet keys, whose create is found by its generated name: `<policy id>/<name>`. */
  journalFleetNames?: ReadonlySet<string>;
}

export function countTruth(input: TruthInput): Truth {
  const { state, stacks, preexisting, previous, onlyCreatesRan, journalMarks, journalFleetNames } = input;
  const now = state.now;
  const esKeys = state.apiKeys.filter((k) => !preexisting.has(k.id));
  const fleetKeys = state.enrollmentKeys.filter((k) => !preexisting.has(k.id));
  const liveEs = new Map(
    esKeys.filter((k) => !k.invalidated && (k.expiration === undefined || k.expiration > now)).map((k) => [k.id, k]),
  );
  const fleetManagedEs = new Set(state.enrollmentKeys.map((k) => k.api_key_id));
  const activeFleet = new Map(fleetKeys.filter((k) => k.active).map((k) => [k.id, k]));

  const held = stacks.flat().filter((r) => KEY_TYPES.has(typeOf(r)));
  // Roles are this provider's when they carry a create mark (SPEC R10 of ApmRole); a role resource holds its name.
  const markedRoles = state.roles
    .map((r) => ({
      name: r.name,
      mark: (r.descriptor.metadata as Record<string, unknown> | undefined)?.[MARK_METADATA],
    }))
    .filter((r): r is { name: string; mark: string } => typeof r.mark === "string");
  const roleResources = stacks.flat().filter((r) => isRole(r) && !r.id?.startsWith("unresolved-create:"));
  const heldRoles = new Set(roleResources.map((r) => String(r.id)));
  const liveRoleNames = new Set(state.roles.map((r) => r.name));
  const heldIds = new Set(held.map((r) => heldBy(r).id).filter((x): x is string => !!x));
  const heldMarks = new Set([
    ...held.map((r) => heldBy(r).mark).filter((x): x is string => !!x),
    ...stacks
      .flat()
      .filter((r) => isRole(r) && r.id?.startsWith("unresolved-create:"))
      .map((r) => String(r.outputs?.__createMark)),
    ...(journalMarks ?? []),
  ]);
  const heldFleetNames = new Set([
    ...held.map((r) => heldBy(r).fleetName).filter((x): x is string => !!x),
    ...(journalFleetNames ?? []),
  ]);

  const liveInNoState =
    [...liveEs.values()].filter(
      (k) => !fleetManagedEs.has(k.id) && !heldIds.has(k.id) && !heldMarks.has(String(k.metadata?.[MARK_METADATA])),
    ).length +
    [...activeFleet.values()].filter(
      (k) => !heldIds.has(k.id) && ![...heldFleetNames].some((n) => `${k.policy_id}/${k.name}`.startsWith(`${n} (`)),
    ).length +
    markedRoles.filter((r) => !heldRoles.has(r.name) && !heldMarks.has(r.mark)).length;

  const isLive = (r: StoredResource): boolean => {
    const id = r.id ?? "";
    if (typeOf(r) === "EnrollmentApiKey") return activeFleet.has(id) && liveEs.has(String(r.outputs?.apiKeyId));
    return liveEs.has(id);
  };
  const resolved = held.filter((r) => !r.id?.startsWith("unresolved-create:"));
  const inStateButDead =
    resolved.filter((r) => !isLive(r)).length + roleResources.filter((r) => !liveRoleNames.has(String(r.id))).length;

  let droppedWhileLive = 0;
  if (previous) {
    const nowIds = new Set(stacks.flat().map((r) => r.id));
    droppedWhileLive = previous
      .flat()
      .filter((r) => KEY_TYPES.has(typeOf(r)) && !nowIds.has(r.id) && !r.id?.startsWith("unresolved-create:"))
      .filter(isLive).length;
    droppedWhileLive += previous
      .flat()
      .filter((r) => isRole(r) && !nowIds.has(r.id) && !r.id?.startsWith("unresolved-create:"))
      .filter((r) => markedRoles.some((m) => m.name === r.id)).length;
  }
  return {
    liveInNoState,
    inStateButDead,
    invalidatedOwnedByAnother: onlyCreatesRan ? inStateButDead : 0,
    droppedWhileLive,
    liveKeys: [...liveEs.keys()].filter((id) => !fleetManagedEs.has(id)).length + activeFleet.size,
    markedRoles: markedRoles.length,
    keyResourcesInState: held.length,
    unresolvedInState: held.length - resolved.length,
  };
}
