// What a Kibana route handler receives, and how a route declares its gates (docs/elastic-api.md 0.3).
import { EmuRequest, EmuResponse } from "../http-types";
import { Json } from "../json";
import { Principal } from "../principal";
import { EmulatorState } from "../state";
import { FleetAuthz } from "../fleet/fleet-authz";

export interface KibanaContext {
  state: EmulatorState;
  req: EmuRequest;
  params: Record<string, string>;
  principal: Principal;
  body: Json | undefined;
  space: string;
  /**
   * Fleet handlers call this once their request is validated: before 9.0 Fleet checks its own authz there (after
   * validation, unlike Kibana's route privileges, which are checked before). A no-op for other routes.
   */
  authorizeAfterValidation(): void;
}

/** How a route is authorized at a given Kibana version (route-authz.ts). */
export type RouteAuthz =
  | { kind: "open" }
  /** Kibana API privileges (`security.authz.requiredPrivileges`, or `access:` tags): all of `all`, one of `any`. */
  | { kind: "api"; all?: string[]; any?: string[] }
  /** Fleet's own model (fleet-authz.ts), checked after validation. */
  | { kind: "fleet"; granted: (authz: FleetAuthz) => boolean };

export interface KibanaRoute {
  /** Internal routes need x-elastic-internal-origin when restrictInternalApis is on (gate 4). */
  access: "public" | "internal";
  /** Public versioned routes accept only elastic-api-version 2023-10-31 (gate 6). */
  versioned: boolean;
  /** What the route requires at the emulated Kibana version (gate 5). */
  authz: (kibanaVersion: string) => RouteAuthz;
  handler: (ctx: KibanaContext) => EmuResponse;
}

export const PUBLIC_API_VERSION = "2023-10-31";
