// GET /api/status: the Kibana version probe (docs/elastic-api.md E.3, Kibana equivalent).
import { EmuResponse, json } from "../http-types";
import { KibanaContext } from "./context";

export function getStatus(ctx: KibanaContext): EmuResponse {
  return json(200, {
    name: "kibana-emulator",
    uuid: "5b2de169-2785-441b-ae8c-186a1936b17d",
    version: { number: ctx.state.options.kibanaVersion, build_hash: "0000000", build_number: 1, build_snapshot: false },
    status: { overall: { level: "available", summary: "All services and plugins are available" } },
  });
}
