// The emulator's whole mutable world. Handlers are synchronous over this object, so concurrent requests cannot
// interleave inside one operation (Node runs one handler at a time).
import { KIBANA_APPLICATION } from "./app-privileges";
import { kibanaRegisteredPrivileges } from "./kibana/registered-privileges";
import {
  ApiKey,
  AgentPolicy,
  ApplicationPrivilegeDefinition,
  EnrollmentKey,
  RoleDescriptor,
  Space,
  User,
} from "./model";
import { RESERVED_ROLES } from "./reserved-roles";

export interface StateOptions {
  superuserPassword: string;
  esVersion: string;
  kibanaVersion: string;
  restrictInternalApis: boolean;
}

const RESERVED_REALM = { name: "reserved", type: "reserved" };

export class EmulatorState {
  users = new Map<string, User>();
  roles = new Map<string, RoleDescriptor>();
  apiKeys = new Map<string, ApiKey>();
  agentPolicies = new Map<string, AgentPolicy>();
  enrollmentKeys = new Map<string, EnrollmentKey>();
  spaces = new Map<string, Space>();
  /** Stored application privileges: application → privilege name → definition. */
  applicationPrivileges = new Map<string, Map<string, ApplicationPrivilegeDefinition>>();
  private clockOffsetMs = 0;

  constructor(readonly options: StateOptions) {
    this.seed();
  }

  /** The emulator's "now": wall clock plus whatever advanceClock added (for expiry tests). */
  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  advanceClock(ms: number): void {
    this.clockOffsetMs += ms;
  }

  reset(): void {
    this.users.clear();
    this.roles.clear();
    this.apiKeys.clear();
    this.agentPolicies.clear();
    this.enrollmentKeys.clear();
    this.spaces.clear();
    this.applicationPrivileges.clear();
    this.clockOffsetMs = 0;
    this.seed();
  }

  /** The actions of a stored application privilege (for privilege checks). */
  privilegeActions = (application: string, name: string): string[] | undefined =>
    this.applicationPrivileges.get(application)?.get(name)?.actions;

  isReservedRole(name: string): boolean {
    return Object.prototype.hasOwnProperty.call(RESERVED_ROLES, name);
  }

  private seed(): void {
    for (const [name, descriptor] of Object.entries(RESERVED_ROLES)) this.roles.set(name, structuredClone(descriptor));
    const reservedUser = (username: string, role: string): User => ({
      username,
      password: this.options.superuserPassword,
      roles: [role],
      full_name: null,
      email: null,
      metadata: { _reserved: true },
      enabled: true,
      realm: RESERVED_REALM,
    });
    this.users.set("elastic", reservedUser("elastic", "superuser"));
    this.users.set("kibana_system", reservedUser("kibana_system", "kibana_system"));
    // Kibana registers its application privileges when it starts.
    const kibana = new Map<string, ApplicationPrivilegeDefinition>();
    for (const [name, actions] of Object.entries(kibanaRegisteredPrivileges(this.options.kibanaVersion))) {
      kibana.set(name, { application: KIBANA_APPLICATION, name, actions: [...actions], metadata: {} });
    }
    this.applicationPrivileges.set(KIBANA_APPLICATION, kibana);
    this.spaces.set("default", {
      id: "default",
      name: "Default",
      description: "This is your default space!",
      color: "#00bfb3",
      disabledFeatures: [],
      reserved: true,
    });
  }
}
