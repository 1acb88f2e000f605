// What a Kibana route handler receives, and how a route declares its gates (docs/elastic-api.md 0.3).
import { EmuRequest, EmuResponse } from "../http-types";
import { Json } from "../json";
import { Principal } from "../principal";
import { EmulatorState } from "../state";

export interface KibanaContext {
  state: EmulatorState;
  req: EmuRequest;
  params: Record<string, string>;
  principal: Principal;
  body: Json | undefined;
  space: string;
}

export interface KibanaRoute {
  /** Internal routes need x-elastic-internal-origin when restrictInternalApis is on (gate 4). */
  access: "public" | "internal";
  /** Public versioned routes accept only elastic-api-version 2023-10-31 (gate 6). */
  versioned: boolean;
  /** Kibana API privileges the route requires: all of `all`, or at least one of `any` (gate 5). */
  privileges: { all?: string[]; any?: string[] };
  handler: (ctx: KibanaContext) => EmuResponse;
}

export const PUBLIC_API_VERSION = "2023-10-31";
