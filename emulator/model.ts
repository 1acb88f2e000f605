// The records the emulator keeps. Shapes follow what the real servers store and return (docs/elastic-api.md C.3, D.2,
// B.1).
import { Json, JsonObject } from "./json";

export interface IndexPrivilegeEntry {
  names: string[];
  privileges: string[];
  field_security?: JsonObject;
  query?: string;
  allow_restricted_indices: boolean;
}

export interface ApplicationPrivilegeEntry {
  application: string;
  privileges: string[];
  resources: string[];
}

/** A stored application privilege definition (PUT /_security/privilege). */
export interface ApplicationPrivilegeDefinition {
  application: string;
  name: string;
  actions: string[];
  metadata: JsonObject;
}

export interface RoleRestriction {
  workflows: string[];
}

export interface RoleDescriptor {
  cluster: string[];
  indices: IndexPrivilegeEntry[];
  applications: ApplicationPrivilegeEntry[];
  run_as: string[];
  metadata: JsonObject;
  transient_metadata: JsonObject;
  global?: Json;
  remote_indices?: Json[];
  remote_cluster?: Json[];
  /** API key descriptors only (ES 8.9+). */
  restriction?: RoleRestriction;
  description?: string;
}

export type Realm = { name: string; type: string };

export interface User {
  username: string;
  password: string;
  roles: string[];
  full_name: string | null;
  email: string | null;
  metadata: JsonObject;
  enabled: boolean;
  realm: Realm;
}

export interface CrossClusterEntry {
  names: string[];
  query?: string;
  field_security?: JsonObject;
  allow_restricted_indices: boolean;
}

export interface CrossClusterAccess {
  search?: CrossClusterEntry[];
  replication?: CrossClusterEntry[];
}

export interface ApiKeyOwner {
  username: string;
  realm: Realm;
  full_name: string | null;
  email: string | null;
  metadata: JsonObject;
}

export interface ApiKey {
  id: string;
  name: string;
  type: "rest" | "cross_cluster";
  /** sha256 of the secret; the secret itself is never stored. */
  secretHash: string;
  creation: number;
  expiration?: number;
  invalidated: boolean;
  invalidation?: number;
  owner: ApiKeyOwner;
  metadata: JsonObject;
  /** C.4: a key created without metadata treats any metadata in an update as a change. */
  metadataGiven: boolean;
  role_descriptors: Record<string, RoleDescriptor>;
  /** The owner's role descriptors when the key was created or last updated. */
  limited_by: Record<string, RoleDescriptor>;
  access?: CrossClusterAccess;
  version: number;
}

export interface AgentPolicy {
  id: string;
  name: string;
  namespace: string;
  description?: string;
  is_managed: boolean;
  supports_agentless: boolean;
  monitoring_enabled: string[];
  inactivity_timeout: number;
  is_protected: boolean;
  /** The schema's other optional fields, stored and returned as given. */
  settings: JsonObject;
  space_ids: string[];
  revision: number;
  created_at: string;
  updated_at: string;
  updated_by: string;
}

export interface EnrollmentKey {
  id: string;
  api_key_id: string;
  /** The enrollment token (ES `encoded`); returned by Fleet GET, never by the admin state. */
  api_key: string;
  name: string;
  active: boolean;
  policy_id: string;
  created_at: string;
  hidden: boolean;
  namespaces: string[];
}

export interface Space {
  id: string;
  name: string;
  description?: string;
  color?: string;
  initials?: string;
  imageUrl?: string;
  disabledFeatures: string[];
  reserved: boolean;
}
