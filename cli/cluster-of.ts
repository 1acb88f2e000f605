// Which cluster a pending create of the export was sent to, so settle-pending acts there and nowhere else: the
// resource's own record (provider/framework/cluster-record.ts), else its provider's recorded inputs in the export
// (a plugin provider's `elasticsearchEndpoints`/`fleetEndpoint`/`kibanaEndpoint`, or the `elastic:*` config the
// dynamic resources' provider recorded). Undefined when the export does not say.
import { clusterRecord } from "../provider/elastic/cluster";
import { CLUSTER_INPUT } from "../provider/framework/cluster-record";

type Props = Record<string, unknown>;

export interface ExportedResource {
  urn: string;
  id?: string;
  type: string;
  inputs?: Props;
  provider?: string;
}

const text = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

export function recordedCluster(
  resource: ExportedResource,
  /** The resource lives on Fleet (a Kibana endpoint), not on Elasticsearch. */
  fleet: boolean,
  resources: readonly ExportedResource[],
): string | undefined {
  const own = text(resource.inputs?.[CLUSTER_INPUT]);
  if (own) return own;
  const provider = resources.find((r) => resource.provider === `${r.urn}::${r.id}`)?.inputs ?? {};
  const setting = (key: string) => text(provider[key]) ?? text(provider[`elastic:${key}`]);
  const endpoints = fleet ? (setting("fleetEndpoint") ?? setting("kibanaEndpoint")) : setting("elasticsearchEndpoints");
  return endpoints ? clusterRecord(endpoints.split(",").filter((u) => u.trim())) : undefined;
}
