// Spaces: list, read one, create (strict body). Creating needs the global `all` Kibana privilege.
import { KIBANA_APPLICATION } from "../app-privileges";
import { boom } from "../errors";
import { EmuResponse, json } from "../http-types";
import { JsonObject } from "../json";
import { Space } from "../model";
import { hasApplicationPrivilege } from "../principal";
import { KibanaContext } from "./context";
import { validateBody, validateQuery } from "./config-schema";

function renderSpace(space: Space): JsonObject {
  const out: JsonObject = { id: space.id, name: space.name };
  if (space.description !== undefined) out.description = space.description;
  if (space.color !== undefined) out.color = space.color;
  if (space.initials !== undefined) out.initials = space.initials;
  if (space.imageUrl !== undefined) out.imageUrl = space.imageUrl;
  out.disabledFeatures = [...space.disabledFeatures];
  if (space.reserved) out._reserved = true;
  return out;
}

function canSee(ctx: KibanaContext, space: Space): boolean {
  return hasApplicationPrivilege(ctx.state, ctx.principal, KIBANA_APPLICATION, "login:", `space:${space.id}`);
}

export function listSpaces(ctx: KibanaContext): EmuResponse {
  validateQuery(ctx.req.query, { purpose: { type: "string" }, include_authorized_purposes: { type: "boolean" } });
  return json(200, [...ctx.state.spaces.values()].filter((s) => canSee(ctx, s)).map(renderSpace));
}

export function getSpace(ctx: KibanaContext): EmuResponse {
  const space = ctx.state.spaces.get(ctx.params.id as string);
  if (!space || !canSee(ctx, space)) throw boom.notFound(`Saved object [space/${ctx.params.id}] not found`);
  return json(200, renderSpace(space));
}

export function createSpace(ctx: KibanaContext): EmuResponse {
  const body = validateBody(ctx.body, {
    id: {
      type: "string",
      required: true,
      validate: (v) =>
        /^[a-z0-9_-]+$/.test(String(v)) ? undefined : "must be lower case, a-z, 0-9, '_', and '-' are allowed",
    },
    name: {
      type: "string",
      required: true,
      validate: (v) =>
        String(v).length > 0 ? undefined : "value has length [0] but it must have a minimum length of [1].",
    },
    description: { type: "string" },
    initials: { type: "string" },
    color: { type: "string" },
    disabledFeatures: { type: "string[]" },
    imageUrl: { type: "string" },
    solution: { type: "string" },
    _reserved: { type: "boolean" },
  });
  if (!hasApplicationPrivilege(ctx.state, ctx.principal, KIBANA_APPLICATION, "space:manage", "*")) {
    throw boom.forbidden("Unauthorized to create spaces");
  }
  const id = body.id as string;
  if (ctx.state.spaces.has(id)) throw boom.conflict(`A space with the identifier ${id} already exists.`);
  const space: Space = {
    id,
    name: body.name as string,
    disabledFeatures: (body.disabledFeatures as string[] | undefined) ?? [],
    reserved: false,
  };
  if (typeof body.description === "string") space.description = body.description;
  if (typeof body.initials === "string") space.initials = body.initials;
  if (typeof body.color === "string") space.color = body.color;
  if (typeof body.imageUrl === "string") space.imageUrl = body.imageUrl;
  ctx.state.spaces.set(id, space);
  return json(200, renderSpace(space));
}
