// GET / (docs/elastic-api.md E.3) and a trivial GET /_cluster/health for YAML-suite set-up steps (G.1).
import { EmuResponse, json } from "../http-types";
import { ACTIONS, requireAction } from "../principal";
import { EsContext } from "./context";

export function getInfo(ctx: EsContext): EmuResponse {
  requireAction(ctx.state, ctx.principal, ACTIONS.main);
  return json(200, {
    name: "emulator-node-1",
    cluster_name: "emulator-cluster",
    cluster_uuid: "zk-HjQtYQGyL3NFSSu7InA",
    version: {
      number: ctx.state.options.esVersion,
      build_flavor: "default",
      build_type: "docker",
      build_hash: "0000000000000000000000000000000000000000",
      build_date: "2024-08-05T10:05:34.233336849Z",
      build_snapshot: false,
      lucene_version: "9.11.1",
      minimum_wire_compatibility_version: "7.17.0",
      minimum_index_compatibility_version: "7.0.0",
    },
    tagline: "You Know, for Search",
  });
}

export function getClusterHealth(ctx: EsContext): EmuResponse {
  requireAction(ctx.state, ctx.principal, ACTIONS.health);
  return json(200, {
    cluster_name: "emulator-cluster",
    status: "green",
    timed_out: false,
    number_of_nodes: 1,
    number_of_data_nodes: 1,
    active_primary_shards: 0,
    active_shards: 0,
    relocating_shards: 0,
    initializing_shards: 0,
    unassigned_shards: 0,
    delayed_unassigned_shards: 0,
    number_of_pending_tasks: 0,
    number_of_in_flight_fetch: 0,
    task_max_waiting_in_queue_millis: 0,
    active_shards_percent_as_number: 100,
  });
}
