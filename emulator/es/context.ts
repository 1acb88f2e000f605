// What an ES route handler receives.
import { EmuRequest, EmuResponse } from "../http-types";
import { Json } from "../json";
import { Principal } from "../principal";
import { EmulatorState } from "../state";

export interface EsContext {
  state: EmulatorState;
  req: EmuRequest;
  params: Record<string, string>;
  principal: Principal;
  /** Parsed JSON body; undefined when the request had none. */
  body: Json | undefined;
}

export interface EsRoute {
  /** The API's name in Elasticsearch's REST API specification (rest-api-spec/api/<name>.json). */
  api: string;
  handler: (ctx: EsContext) => EmuResponse;
  /** Query parameters the endpoint accepts besides the global ones. */
  params: readonly string[];
  /** A specified API the emulator does not serve: once authenticated, its handler refuses, naming the API. */
  notEmulated?: boolean;
  /** The ES version (major, minor) that introduced the endpoint; older emulated versions do not serve it. */
  since?: [number, number];
}

export function route(
  api: string,
  handler: EsRoute["handler"],
  params: readonly string[] = [],
  since?: [number, number],
): EsRoute {
  return since ? { api, handler, params, since } : { api, handler, params };
}
