// Bulk roles (ES 8.15+): POST /_security/role stores several roles, DELETE /_security/role deletes several. Each
// role succeeds or fails on its own; the answer groups names by outcome (created, updated, deleted, not_found) and
// lists the failures under errors (BulkRolesResponse).
import { EsError, illegalArgument, validationFailed, xContentParseError } from "../errors";
import { EmuResponse, json } from "../http-types";
import { JsonObject, formatPosition, isObject, keyPosition } from "../json";
import { ACTIONS, requireAction } from "../principal";
import { EsContext } from "./context";
import { optionalObject, optionalStringArray, rejectUnknownFields, requireBody, requireObject } from "./parse";
import { ParsedRole } from "./role-descriptor";
import { parseRole, removeRole, storeRole } from "./roles";

const PUT_PARSER = "bulk_update_roles_request_payload";
const DELETE_PARSER = "bulk_delete_roles_request";

/** Outcome lists in first-seen order; errors keyed by role name with the exception's type and reason. */
class BulkOutcome {
  private readonly lists = new Map<string, string[]>();
  private readonly errors: JsonObject = {};

  add(outcome: string, name: string): void {
    this.lists.set(outcome, [...(this.lists.get(outcome) ?? []), name]);
  }

  fail(name: string, error: unknown): void {
    if (!(error instanceof EsError)) throw error;
    const body = error.toBody().error as JsonObject;
    delete body.root_cause;
    this.errors[name] = body;
  }

  render(): JsonObject {
    const out: JsonObject = Object.fromEntries(this.lists);
    const count = Object.keys(this.errors).length;
    if (count > 0) out.errors = { count, details: this.errors };
    return out;
  }
}

/** The roles of the body; a role the parser refuses fails the whole request, as in a named-object parser. */
function parseRoles(ctx: EsContext, body: JsonObject): Array<[string, ParsedRole]> {
  rejectUnknownFields(body, PUT_PARSER, ["roles"]);
  const roles = optionalObject(body, "roles", PUT_PARSER) ?? {};
  return Object.entries(roles).map(([name, role]) => {
    try {
      if (!isObject(role)) throw illegalArgument(`failed to parse role [${name}]. expected an object`);
      return [name, parseRole(ctx, name, role)];
    } catch (error) {
      if (!(error instanceof EsError)) throw error;
      throw xContentParseError(
        `${formatPosition(keyPosition(body, "roles"))} [${PUT_PARSER}] failed to parse field [roles]`,
        { type: error.type, reason: error.reason },
      );
    }
  });
}

export function postBulkRoles(ctx: EsContext): EmuResponse {
  const roles = parseRoles(ctx, requireObject(requireBody(ctx.body), PUT_PARSER));
  requireAction(ctx.state, ctx.principal, ACTIONS.roleBulkPut);
  const outcome = new BulkOutcome();
  for (const [name, { descriptor, problems }] of roles) {
    try {
      if (problems.length > 0) throw validationFailed(problems);
      outcome.add(storeRole(ctx, name, descriptor) ? "created" : "updated", name);
    } catch (error) {
      outcome.fail(name, error);
    }
  }
  return json(200, outcome.render());
}

export function deleteBulkRoles(ctx: EsContext): EmuResponse {
  const body = requireObject(requireBody(ctx.body), DELETE_PARSER);
  rejectUnknownFields(body, DELETE_PARSER, ["names"]);
  const names = optionalStringArray(body, "names", DELETE_PARSER);
  if (names === undefined) throw illegalArgument("Required [names]");
  requireAction(ctx.state, ctx.principal, ACTIONS.roleBulkDelete);
  const outcome = new BulkOutcome();
  for (const name of names) {
    try {
      outcome.add(removeRole(ctx, name) ? "deleted" : "not_found", name);
    } catch (error) {
      outcome.fail(name, error);
    }
  }
  return json(200, outcome.render());
}
