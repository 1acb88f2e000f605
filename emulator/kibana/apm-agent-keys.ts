// APM agent keys (docs/elastic-api.md A): create as the caller after a _has_privileges check (A.3), the internal list
// (A.4) and invalidate (A.5). The APM route wrapper turns every non-Boom error, ES ones included, into 500.
import { BoomError, EsError, boom } from "../errors";
import { EmuResponse, json } from "../http-types";
import { Json, JsonObject, isObject } from "../json";
import { principalUsername } from "../principal";
import { checkPrivileges } from "../es/has-privileges";
import { invalidateApiKeys } from "../es/invalidate-api-keys";
import { queryApiKeys } from "../es/query-api-keys";
import { createRestApiKey } from "../es/rest-api-keys";
import { KibanaContext } from "./context";

const AGENT_KEY_PRIVILEGES = ["event:write", "config_agent:read"];

/** The APM wrapper's error shape: Boom status kept, everything else 500, attributes always present. */
function apmErrors(run: () => EmuResponse): EmuResponse {
  try {
    return run();
  } catch (error) {
    const attributes = (data: JsonObject): JsonObject => ({ data, _inspect: [] });
    if (error instanceof BoomError) {
      throw new BoomError(error.statusCode, error.message, error.attributes ?? attributes({}));
    }
    if (error instanceof EsError) throw boom.internal(error.clientMessage(), attributes({}));
    throw error;
  }
}

/** io-ts style: excess keys of the params object are refused (A.2). */
function rejectExcessKeys(ctx: KibanaContext, bodyKeys: string[]): void {
  const excess = [
    ...[...new Set(ctx.req.query.keys())].filter((k) => k !== "_inspect").map((k) => `query.${k}`),
    ...bodyKeys.map((k) => `body.${k}`),
  ];
  if (excess.length > 0) throw boom.badRequest(`Excess keys are not allowed:\n${excess.join("\n")}`);
}

function describe(value: Json | undefined): string {
  return value === undefined ? "undefined" : JSON.stringify(value);
}

function decodeCreateBody(ctx: KibanaContext): { name: string; privileges: string[] } {
  const body = ctx.body;
  const errors: string[] = [];
  if (!isObject(body)) {
    errors.push(
      `  in /body: ${describe(body)} does not match expected type { name: string, privileges: Array<("event:write" | "config_agent:read")> }`,
    );
  } else {
    if (typeof body.name !== "string")
      errors.push(`  in /body/name: ${describe(body.name)} does not match expected type string`);
    if (!Array.isArray(body.privileges)) {
      errors.push(
        `  in /body/privileges: ${describe(body.privileges)} does not match expected type Array<("event:write" | "config_agent:read")>`,
      );
    } else {
      body.privileges.forEach((p, i) => {
        if (typeof p !== "string" || !AGENT_KEY_PRIVILEGES.includes(p)) {
          errors.push(
            `  in /body/privileges/${i}: ${describe(p)} does not match expected type ("event:write" | "config_agent:read")`,
          );
        }
      });
    }
  }
  if (errors.length > 0) throw boom.badRequest(`Failed to validate: \n${errors.join("\n")}`);
  const obj = body as JsonObject;
  rejectExcessKeys(
    ctx,
    Object.keys(obj).filter((k) => k !== "name" && k !== "privileges"),
  );
  return { name: obj.name as string, privileges: obj.privileges as string[] };
}

function missingPrivilegesMessage(
  username: string,
  missing: string[],
  missingCluster: string[],
  requested: string[],
): string {
  const cluster =
    missingCluster.length > 0 ? ` and following cluster privileges - ${missingCluster.join(", ")} privilege(s)` : "";
  const example = JSON.stringify(
    {
      cluster: ["manage_own_api_key"],
      applications: [{ application: "apm", privileges: requested, resources: ["*"] }],
    },
    null,
    2,
  ).replace(/\n/g, "\n    ");
  return (
    `${username} is missing the following requested privilege(s): ${missing.join(", ")}${cluster}.` +
    `    You might try with the superuser, or add the missing APM application privileges to the role of the authenticated user, eg.:\n` +
    `    PUT /_security/role/my_role\n    ${example}`
  );
}

export function createAgentKey(ctx: KibanaContext): EmuResponse {
  return apmErrors(() => {
    const { name, privileges } = decodeCreateBody(ctx);
    // A.3 step 1: _has_privileges as the caller.
    const check = checkPrivileges(ctx.state, ctx.principal, {
      application: [{ application: "apm", privileges, resources: ["*"] }],
      cluster: ["manage_own_api_key"],
    });
    if (check.has_all_requested !== true) {
      const apm = ((check.application as JsonObject).apm as JsonObject | undefined)?.["*"] as JsonObject | undefined;
      const missing = privileges.filter((p) => apm?.[p] !== true);
      const missingCluster = (check.cluster as JsonObject).manage_own_api_key === true ? [] : ["manage_own_api_key"];
      throw boom.forbidden(
        missingPrivilegesMessage(principalUsername(ctx.principal), missing, missingCluster, privileges),
        {
          data: { missingPrivileges: missing, missingClusterPrivileges: missingCluster },
          _inspect: [],
        },
      );
    }
    // A.3 step 3: the key belongs to the caller and carries the APM metadata and role descriptor.
    const created = createRestApiKey(ctx.state, ctx.principal, {
      name,
      metadata: { application: "apm" },
      role_descriptors: {
        apm: { cluster: [], index: [], applications: [{ application: "apm", privileges, resources: ["*"] }] },
      },
    });
    ctx.req.objects.push(created.id as string);
    const body: JsonObject = {
      agentKey: { id: created.id, name: created.name, api_key: created.api_key, encoded: created.encoded },
    };
    if (ctx.req.query.get("_inspect") === "true") body._inspect = [];
    return json(200, body);
  });
}

export function listAgentKeys(ctx: KibanaContext): EmuResponse {
  return apmErrors(() => {
    rejectExcessKeys(ctx, isObject(ctx.body) ? Object.keys(ctx.body) : []);
    // A.4: the query API as the caller, then invalidated keys dropped (expired ones kept).
    const result = queryApiKeys(ctx.state, ctx.principal, {
      size: 1000,
      query: {
        bool: {
          filter: [
            { term: { "metadata.application": "apm" } },
            { bool: { must_not: { term: { "metadata.system": true } } } },
          ],
        },
      },
    });
    const keys = (result.api_keys as JsonObject[]).filter((k) => k.invalidated !== true);
    return json(200, { agentKeys: keys });
  });
}

export function invalidateAgentKey(ctx: KibanaContext): EmuResponse {
  return apmErrors(() => {
    const body = ctx.body;
    if (!isObject(body) || typeof body.id !== "string") {
      throw boom.badRequest(
        `Failed to validate: \n  in /body/id: ${describe(isObject(body) ? body.id : body)} does not match expected type string`,
      );
    }
    rejectExcessKeys(
      ctx,
      Object.keys(body).filter((k) => k !== "id"),
    );
    // A.5: admins invalidate any key, everyone else only their own.
    const check = checkPrivileges(ctx.state, ctx.principal, { cluster: ["manage_security", "manage_api_key"] });
    const cluster = check.cluster as JsonObject;
    const isAdmin = cluster.manage_security === true || cluster.manage_api_key === true;
    const result = invalidateApiKeys(ctx.state, ctx.principal, { ids: [body.id], owner: !isAdmin });
    ctx.req.objects.push(...(result.invalidated_api_keys as string[]));
    return json(200, { invalidatedAgentKeys: result.invalidated_api_keys as Json });
  });
}

/** GET /internal/apm/agent_keys/privileges: what the APM UI may show (A.1). */
export function agentKeyPrivileges(ctx: KibanaContext): EmuResponse {
  return apmErrors(() => {
    rejectExcessKeys(ctx, []);
    const check = checkPrivileges(ctx.state, ctx.principal, {
      cluster: ["manage_security", "manage_api_key", "manage_own_api_key"],
    });
    const cluster = check.cluster as JsonObject;
    return json(200, {
      areApiKeysEnabled: true,
      isAdmin: cluster.manage_security === true || cluster.manage_api_key === true,
      canManage: cluster.manage_own_api_key === true,
    });
  });
}
