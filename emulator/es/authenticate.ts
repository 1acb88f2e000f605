// GET /_security/_authenticate (docs/elastic-api.md E.2): works for every authenticated principal.
import { EmuResponse, json } from "../http-types";
import { JsonObject } from "../json";
import { Principal } from "../principal";
import { versionAtLeast } from "../versions";
import { EsContext } from "./context";
import { renderUser } from "./users";

export function describePrincipal(principal: Principal, esVersion: string): JsonObject {
  if (principal.kind === "user") {
    const { user } = principal;
    return {
      ...renderUser(user),
      authentication_realm: { ...user.realm },
      lookup_realm: { ...user.realm },
      authentication_type: "realm",
    };
  }
  const { key } = principal;
  const realm = { name: "_es_api_key", type: "_es_api_key" };
  return {
    username: key.owner.username,
    roles: [],
    full_name: key.owner.full_name,
    email: key.owner.email,
    metadata: structuredClone(key.owner.metadata),
    enabled: true,
    authentication_realm: realm,
    lookup_realm: { ...realm },
    authentication_type: "api_key",
    // E.2: 9.x adds managed_by and internal.
    api_key: versionAtLeast(esVersion, 9, 0)
      ? { id: key.id, name: key.name, managed_by: "elasticsearch", internal: false }
      : { id: key.id, name: key.name },
  };
}

export function getAuthenticate(ctx: EsContext): EmuResponse {
  return json(200, describePrincipal(ctx.principal, ctx.state.options.esVersion));
}
