// Who is calling, and what their roles allow. A user's privileges are the union of its roles; an API key's are
// its own role descriptors intersected with the owner's roles captured when it was created (limited_by), and an
// API key without role descriptors simply inherits that snapshot.
import { entriesGrant } from "./app-privileges";
import { ACTIONS, GRANTED_BY, grantsAction, grantsClusterPrivilege } from "./cluster-privileges";
import { versionAtLeast } from "./versions";
import { EsError } from "./errors";
import { globMatch } from "./glob";
import { ApiKey, ApiKeyOwner, Realm, RoleDescriptor, User } from "./model";
import { EmulatorState } from "./state";

export type Principal = { kind: "user"; user: User } | { kind: "api_key"; key: ApiKey };

export function principalUsername(p: Principal): string {
  return p.kind === "user" ? p.user.username : p.key.owner.username;
}

export function principalRealm(p: Principal): Realm {
  return p.kind === "user" ? p.user.realm : p.key.owner.realm;
}

/** The request-log identity: a username, or "api_key:<id>". */
export function identityOf(p: Principal | null): string | null {
  if (!p) return null;
  return p.kind === "user" ? p.user.username : `api_key:${p.key.id}`;
}

/** The owner recorded on a key created by this principal (a key created with a key belongs to its owner). */
export function ownerOf(p: Principal): ApiKeyOwner {
  if (p.kind === "api_key") return structuredClone(p.key.owner);
  const { username, realm, full_name, email, metadata } = p.user;
  return structuredClone({ username, realm, full_name, email, metadata });
}

/** The descriptors that cap a key created by this principal (GET's limited_by). */
export function limitingDescriptors(state: EmulatorState, p: Principal): Record<string, RoleDescriptor> {
  if (p.kind === "api_key") {
    const own = p.key.role_descriptors;
    return structuredClone(Object.keys(own).length > 0 ? own : p.key.limited_by);
  }
  const out: Record<string, RoleDescriptor> = {};
  for (const role of p.user.roles) {
    const descriptor = state.roles.get(role);
    if (descriptor) out[role] = structuredClone(descriptor);
  }
  return out;
}

/** Every set must grant a privilege; within a set any descriptor may. */
function descriptorSets(state: EmulatorState, p: Principal): RoleDescriptor[][] {
  if (p.kind === "user") {
    return [p.user.roles.map((r) => state.roles.get(r)).filter((d): d is RoleDescriptor => d !== undefined)];
  }
  const own = Object.values(p.key.role_descriptors);
  const limit = Object.values(p.key.limited_by);
  // A workflow-restricted key grants nothing outside its workflows, and no emulated endpoint belongs to one.
  if (own.some((d) => d.restriction !== undefined)) return [[]];
  return own.length > 0 ? [own, limit] : [limit];
}

export function allowsAction(state: EmulatorState, p: Principal, action: string, ownerScoped = false): boolean {
  return descriptorSets(state, p).every((set) =>
    set.some((d) => d.cluster.some((held) => grantsAction(held, action, ownerScoped))),
  );
}

export function hasClusterPrivilege(state: EmulatorState, p: Principal, requested: string): boolean {
  return descriptorSets(state, p).every((set) =>
    set.some((d) => d.cluster.some((held) => grantsClusterPrivilege(held, requested))),
  );
}

export function hasApplicationPrivilege(
  state: EmulatorState,
  p: Principal,
  application: string,
  privilege: string,
  resource: string,
): boolean {
  return descriptorSets(state, p).every((set) =>
    set.some((d) => entriesGrant(d.applications, application, privilege, resource, state.privilegeActions)),
  );
}

const INDEX_IMPLIES: Record<string, string[]> = {
  all: ["*"],
  write: ["index", "create", "create_doc", "delete"],
  manage: ["monitor", "view_index_metadata", "create_index", "delete_index"],
  read: ["read_cross_cluster"],
};

export function hasIndexPrivilege(state: EmulatorState, p: Principal, index: string, privilege: string): boolean {
  return descriptorSets(state, p).every((set) =>
    set.some((d) =>
      d.indices.some(
        (entry) =>
          entry.names.some((n) => globMatch(n, index)) &&
          entry.privileges.some(
            (held) => held === privilege || (INDEX_IMPLIES[held] ?? []).some((i) => globMatch(i, privilege)),
          ),
      ),
    ),
  );
}

/** How a user's roles are described in a 403: 9.x names the declared roles and whether they resolved. */
function rolesDescription(state: EmulatorState, user: User): string {
  if (!versionAtLeast(state.options.esVersion, 9, 0)) return ` with effective roles [${user.roles.join(",")}]`;
  if (user.roles.length === 0) return " with no declared roles";
  const unresolved = user.roles.filter((r) => !state.roles.has(r));
  const resolution =
    unresolved.length === 0
      ? "all resolved"
      : unresolved.length === user.roles.length
        ? "none resolved"
        : `unresolved [${[...unresolved].sort().join(",")}]`;
  return ` with declared roles [${user.roles.join(",")}] (${resolution})`;
}

/** 403 text of docs/elastic-api.md 0.2, in the user and the API key variants. */
export function unauthorized(state: EmulatorState, p: Principal, action: string): EsError {
  const who =
    p.kind === "user"
      ? `user [${p.user.username}]${rolesDescription(state, p.user)}`
      : `API key id [${p.key.id}] of user [${p.key.owner.username}]`;
  const grantedBy = GRANTED_BY[action] ?? ["all"];
  return new EsError(
    403,
    "security_exception",
    `action [${action}] is unauthorized for ${who}, this action is granted by the cluster privileges [${grantedBy.join(",")}]`,
  );
}

export function requireAction(state: EmulatorState, p: Principal, action: string, ownerScoped = false): void {
  if (!allowsAction(state, p, action, ownerScoped)) throw unauthorized(state, p, action);
}

export { ACTIONS };
