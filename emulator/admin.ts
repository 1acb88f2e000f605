// The emulator's own control surface (emulator/README.md, Admin surface), in-process and over HTTP under /_emulator/ on
// both listeners. Never recorded in the request log, never faulted, never shows a secret.
import { renderRoleDescriptor } from "./es/role-descriptor";
import { renderAccess } from "./es/cross-cluster-access";
import { FaultInjector, FaultRule } from "./faults";
import { EmuResponse, json } from "./http-types";
import { Json, JsonObject, isObject, parseJson } from "./json";
import { EnrollmentKey, RoleDescriptor } from "./model";
import { hashSecret } from "./ids";
import { RequestLog, RequestLogEntry } from "./request-log";
import { EmulatorState } from "./state";

export interface AdminApiKey {
  id: string;
  name: string;
  type: "rest" | "cross_cluster";
  owner: { username: string; realm: string };
  creation: number;
  expiration?: number;
  invalidated: boolean;
  invalidation?: number;
  metadata: JsonObject;
  role_descriptors: JsonObject;
  limited_by: JsonObject;
  access?: JsonObject;
}

export interface AdminState {
  /** The emulator's current notion of now (ms), including advanceClock. */
  now: number;
  users: Array<{
    username: string;
    roles: string[];
    full_name: string | null;
    email: string | null;
    metadata: JsonObject;
    enabled: boolean;
    realm: string;
  }>;
  roles: Array<{ name: string; reserved: boolean; descriptor: JsonObject }>;
  apiKeys: AdminApiKey[];
  agentPolicies: Array<{
    id: string;
    name: string;
    namespace: string;
    description?: string;
    space_ids: string[];
    is_managed: boolean;
    created_at: string;
  }>;
  /** Without the token: the admin state never shows a secret. */
  enrollmentKeys: Array<Omit<EnrollmentKey, "api_key">>;
  spaces: Array<{ id: string; name: string; description?: string; disabledFeatures: string[]; reserved: boolean }>;
}

export interface EmulatorAdmin {
  state(): AdminState;
  requests(): RequestLogEntry[];
  clearRequests(): void;
  connections(): { es: number; kibana: number };
  reset(): void;
  setFaults(rules: FaultRule[]): void;
  clearFaults(): void;
  setLatency(ms: number): void;
  advanceClock(ms: number): void;
  /**
   * Whether `candidate` is the secret of an API key this emulator issued (compared by hash: the secret itself is never
   * stored). For leak checks: a test searches what a tool printed for secrets without the emulator revealing one.
   */
  isIssuedSecret(candidate: string): boolean;
}

export interface AdminDeps {
  state: EmulatorState;
  faults: FaultInjector;
  log: RequestLog;
  connections(): { es: number; kibana: number };
  resetConnections(): void;
  setLatency(ms: number): void;
}

export function snapshotState(state: EmulatorState): AdminState {
  const rendered = (map: Record<string, RoleDescriptor>): JsonObject => {
    const out: JsonObject = {};
    for (const [name, d] of Object.entries(map)) out[name] = renderRoleDescriptor(d);
    return out;
  };
  return {
    now: state.now(),
    users: [...state.users.values()].map((u) => ({
      username: u.username,
      roles: [...u.roles],
      full_name: u.full_name,
      email: u.email,
      metadata: structuredClone(u.metadata),
      enabled: u.enabled,
      realm: u.realm.name,
    })),
    roles: [...state.roles.entries()].map(([name, d]) => ({
      name,
      reserved: state.isReservedRole(name),
      descriptor: renderRoleDescriptor(d),
    })),
    apiKeys: [...state.apiKeys.values()].map((k) => {
      const out: AdminApiKey = {
        id: k.id,
        name: k.name,
        type: k.type,
        owner: { username: k.owner.username, realm: k.owner.realm.name },
        creation: k.creation,
        invalidated: k.invalidated,
        metadata: structuredClone(k.metadata),
        role_descriptors: rendered(k.role_descriptors),
        limited_by: rendered(k.limited_by),
      };
      if (k.expiration !== undefined) out.expiration = k.expiration;
      if (k.invalidation !== undefined) out.invalidation = k.invalidation;
      if (k.access) out.access = renderAccess(k.access);
      return out;
    }),
    agentPolicies: [...state.agentPolicies.values()].map((p) => ({
      id: p.id,
      name: p.name,
      namespace: p.namespace,
      ...(p.description !== undefined ? { description: p.description } : {}),
      space_ids: [...p.space_ids],
      is_managed: p.is_managed,
      created_at: p.created_at,
    })),
    enrollmentKeys: [...state.enrollmentKeys.values()].map((k) => ({
      id: k.id,
      api_key_id: k.api_key_id,
      name: k.name,
      active: k.active,
      policy_id: k.policy_id,
      created_at: k.created_at,
      hidden: k.hidden,
      namespaces: [...k.namespaces],
    })),
    spaces: [...state.spaces.values()].map((s) => ({
      id: s.id,
      name: s.name,
      ...(s.description !== undefined ? { description: s.description } : {}),
      disabledFeatures: [...s.disabledFeatures],
      reserved: s.reserved,
    })),
  };
}

export function createAdmin(deps: AdminDeps): EmulatorAdmin {
  return {
    state: () => snapshotState(deps.state),
    requests: () => deps.log.list(),
    clearRequests: () => deps.log.clear(),
    connections: () => deps.connections(),
    reset: () => {
      deps.state.reset();
      deps.faults.clear();
      deps.log.clear();
      deps.resetConnections();
    },
    setFaults: (rules) => deps.faults.set(rules),
    clearFaults: () => deps.faults.clear(),
    setLatency: (ms) => deps.setLatency(ms),
    advanceClock: (ms) => deps.state.advanceClock(ms),
    isIssuedSecret: (candidate) => {
      const hash = hashSecret(candidate);
      return [...deps.state.apiKeys.values()].some((k) => k.secretHash === hash);
    },
  };
}

function numberField(body: Json | undefined, key: string): number {
  const value = isObject(body) ? body[key] : undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) throw new Error(`body must be {"${key}": <number>}`);
  return value;
}

/** HTTP face of the admin surface. */
export function handleAdminRequest(admin: EmulatorAdmin, method: string, path: string, raw: Buffer): EmuResponse {
  try {
    const text = raw.toString("utf8");
    const body = text.trim() === "" ? undefined : parseJson(text);
    const route = `${method} ${path.replace(/\/+$/, "")}`;
    switch (route) {
      case "GET /_emulator/state":
        return json(200, admin.state() as unknown as Json);
      case "GET /_emulator/requests":
        return json(200, admin.requests() as unknown as Json);
      case "DELETE /_emulator/requests":
        admin.clearRequests();
        return json(200, { acknowledged: true });
      case "GET /_emulator/connections":
        return json(200, admin.connections());
      case "POST /_emulator/reset":
        admin.reset();
        return json(200, { acknowledged: true });
      case "PUT /_emulator/faults": {
        // {"faults":[…]} per the contract; a bare array is accepted too.
        const faults = Array.isArray(body) ? body : isObject(body) ? body.faults : undefined;
        admin.setFaults(faults as unknown as FaultRule[]);
        return json(200, { acknowledged: true });
      }
      case "DELETE /_emulator/faults":
        admin.clearFaults();
        return json(200, { acknowledged: true });
      case "PUT /_emulator/latency":
        admin.setLatency(numberField(body, "ms"));
        return json(200, { acknowledged: true });
      case "POST /_emulator/clock":
        admin.advanceClock(numberField(body, "advanceMs"));
        return json(200, { acknowledged: true, now: admin.state().now });
      default:
        return json(404, { error: `no emulator admin route for [${method} ${path}]` });
    }
  } catch (error) {
    return json(400, { error: error instanceof Error ? error.message : String(error) });
  }
}
