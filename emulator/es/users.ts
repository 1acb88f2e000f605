// Native users for test set-up (the YAML set-up steps of docs/elastic-api.md G.1): PUT/POST create or replace, GET,
// DELETE.
import { EsRawError, illegalArgument, validationFailed } from "../errors";
import { EmuResponse, json } from "../http-types";
import { JsonObject, isObject } from "../json";
import { User } from "../model";
import { ACTIONS, requireAction } from "../principal";
import { EsContext } from "./context";
import { renderNamed } from "./named-records";
import {
  optionalBoolean,
  optionalString,
  optionalStringArray,
  rejectUnknownFields,
  requireBody,
  requireObject,
} from "./parse";

const NATIVE_REALM = { name: "default_native", type: "native" };
const USER_FIELDS = ["password", "password_hash", "roles", "full_name", "email", "metadata", "enabled"];

export function putUser(ctx: EsContext): EmuResponse {
  const username = ctx.params.name as string;
  const body = requireObject(requireBody(ctx.body), "user");
  rejectUnknownFields(body, "user", USER_FIELDS);
  const password = optionalString(body, "password", "user");
  const roles = optionalStringArray(body, "roles", "user");
  const existing = ctx.state.users.get(username);
  const problems: string[] = [];
  if (!/^[\x21-\x7e][\x20-\x7e]{0,1022}$/.test(username) || username.trim() !== username) {
    problems.push(
      "Usernames must be at least 1 and no more than 1024 characters. They can contain alphanumeric characters (a-z, A-Z, 0-9), spaces, punctuation, and printable symbols in the Basic Latin (ASCII) block. Leading or trailing whitespace is not allowed.",
    );
  }
  if (password !== undefined && password.length < 6) problems.push("passwords must be at least [6] characters long");
  if (password === undefined && !existing)
    problems.push("password must be specified unless you are updating an existing user");
  if (roles === undefined) problems.push("roles are missing");
  if (isObject(body.metadata) && Object.keys(body.metadata).some((k) => k.startsWith("_")))
    problems.push("metadata keys may not start with [_]");
  if (problems.length > 0) throw validationFailed(problems);
  requireAction(ctx.state, ctx.principal, ACTIONS.userPut);
  if (existing?.realm.type === "reserved") {
    throw illegalArgument(`user [${username}] is reserved and only the password can be changed`);
  }
  const user: User = {
    username,
    password: password ?? (existing?.password as string),
    roles: roles ?? [],
    full_name: optionalString(body, "full_name", "user") ?? null,
    email: optionalString(body, "email", "user") ?? null,
    metadata: isObject(body.metadata) ? structuredClone(body.metadata) : {},
    enabled: optionalBoolean(body, "enabled", "user") ?? true,
    realm: NATIVE_REALM,
  };
  ctx.state.users.set(username, user);
  return json(200, { created: !existing });
}

/** A user as GET /_security/user shows it; _authenticate adds the realms to the same fields. */
export function renderUser(user: User): JsonObject {
  return {
    username: user.username,
    roles: [...user.roles],
    full_name: user.full_name,
    email: user.email,
    metadata: structuredClone(user.metadata),
    enabled: user.enabled,
  };
}

export function getUsers(ctx: EsContext): EmuResponse {
  requireAction(ctx.state, ctx.principal, ACTIONS.userGet);
  return json(200, renderNamed(ctx.params.name, ctx.state.users, renderUser));
}

export function deleteUser(ctx: EsContext): EmuResponse {
  const username = ctx.params.name as string;
  requireAction(ctx.state, ctx.principal, ACTIONS.userDelete);
  if (ctx.state.users.get(username)?.realm.type === "reserved") {
    throw illegalArgument(`user [${username}] is reserved and cannot be deleted`);
  }
  if (!ctx.state.users.delete(username)) throw new EsRawError(404, { found: false });
  return json(200, { found: true });
}
