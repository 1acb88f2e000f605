// POST /_security/user/_has_privileges (docs/elastic-api.md E.4). Kibana calls it in-process as the caller (A.3, A.5).
import { illegalArgument } from "../errors";
import { EmuResponse, json } from "../http-types";
import { Json, JsonObject, isObject } from "../json";
import {
  Principal,
  hasApplicationPrivilege,
  hasClusterPrivilege,
  hasIndexPrivilege,
  principalUsername,
} from "../principal";
import { EmulatorState } from "../state";
import { EsContext } from "./context";
import { optionalStringArray, rejectUnknownFields, requireBody, requireObject } from "./parse";
import { requireCompleteApplicationEntry } from "./role-descriptor";

export interface PrivilegesRequest {
  cluster?: string[];
  index?: Array<{ names: string[]; privileges: string[] }>;
  application?: Array<{ application: string; privileges: string[]; resources: string[] }>;
}

export function checkPrivileges(state: EmulatorState, principal: Principal, request: PrivilegesRequest): JsonObject {
  // Kibana's in-process calls pass through the same request parser as REST callers.
  request.application?.forEach(requireCompleteApplicationEntry);
  let all = true;
  const cluster: JsonObject = {};
  for (const privilege of request.cluster ?? []) {
    const granted = hasClusterPrivilege(state, principal, privilege);
    cluster[privilege] = granted;
    all &&= granted;
  }
  // Entries naming the same resource merge into one answer; a privilege asked twice is granted only if both agree.
  const answer = (into: JsonObject, resource: string, privilege: string, granted: boolean): void => {
    const result = (into[resource] ?? {}) as JsonObject;
    result[privilege] = (result[privilege] ?? true) === true && granted;
    into[resource] = result;
    all &&= granted;
  };
  const index: JsonObject = {};
  for (const entry of request.index ?? []) {
    for (const name of entry.names) {
      for (const privilege of entry.privileges) {
        answer(index, name, privilege, hasIndexPrivilege(state, principal, name, privilege));
      }
    }
  }
  const application: JsonObject = {};
  for (const entry of request.application ?? []) {
    const byResource = (application[entry.application] ?? {}) as JsonObject;
    for (const resource of entry.resources) {
      for (const privilege of entry.privileges) {
        answer(
          byResource,
          resource,
          privilege,
          hasApplicationPrivilege(state, principal, entry.application, privilege, resource),
        );
      }
    }
    application[entry.application] = byResource;
  }
  return { username: principalUsername(principal), has_all_requested: all, cluster, index, application };
}

function parseEntries(value: Json | undefined, field: string, keys: string[]): JsonObject[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => !isObject(v)))
    throw illegalArgument(`[${field}] must be an array of objects`);
  for (const entry of value as JsonObject[]) rejectUnknownFields(entry, field, keys);
  return value as JsonObject[];
}

export function postHasPrivileges(ctx: EsContext): EmuResponse {
  const body = requireObject(requireBody(ctx.body), "has_privileges_request");
  rejectUnknownFields(body, "has_privileges_request", ["cluster", "index", "application"]);
  const request: PrivilegesRequest = {
    cluster: optionalStringArray(body, "cluster", "has_privileges_request"),
    index: parseEntries(body.index, "index", ["names", "privileges", "allow_restricted_indices"]).map((e) => ({
      names: optionalStringArray(e, "names", "index") ?? [],
      privileges: optionalStringArray(e, "privileges", "index") ?? [],
    })),
    application: parseEntries(body.application, "application", ["application", "privileges", "resources"]).map((e) =>
      requireCompleteApplicationEntry({
        application: String(e.application ?? ""),
        privileges: optionalStringArray(e, "privileges", "application") ?? [],
        resources: optionalStringArray(e, "resources", "application") ?? [],
      }),
    ),
  };
  if (!request.cluster?.length && !request.index?.length && !request.application?.length) {
    throw illegalArgument("must specify at least one privilege");
  }
  if (ctx.params.name !== undefined && ctx.params.name !== principalUsername(ctx.principal)) {
    throw illegalArgument(`users may only check the privileges of their own account`);
  }
  return json(200, checkPrivileges(ctx.state, ctx.principal, request));
}
