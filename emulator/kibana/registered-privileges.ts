// The application privileges Kibana registers in Elasticsearch for `kibana-.kibana` when it starts, built from the
// feature registrations (features.ts) the way Kibana's security plugin builds them: elastic/kibana
// x-pack/platform/plugins/shared/security/server/authorization/privileges/privileges.ts (before 9.0:
// x-pack/plugins/security/server/authorization/privileges/privileges.ts) and the features plugin's
// feature_privilege_iterator.ts. Names follow privilege_serializer.ts: `feature_<feature>.<privilege>`,
// `reserved_<id>`, and the base privileges `all`, `read`, `space_all`, `space_read`.
// - `all` / `read` of a feature include its sub-feature privileges (`includeIn: read` ones in both); `minimal_all` /
//   `minimal_read` are the primary privilege alone (registered for every feature since 8.0, elastic/kibana#115992).
// - Each sub-feature privilege is registered under its own id. Licensing is not emulated: the emulated cluster
//   behaves as one whose license allows sub-feature privileges (Gold or better, or a trial).
// - Base privileges hold every feature's `all` (or `read`) actions, never a reserved privilege's; the global `all`
//   also manages spaces (`space:manage`).
import { KibanaFeature, kibanaFeatures } from "./features";

const LOGIN = "login:";
const api = (names: string[]): string[] => names.map((n) => `api:${n}`);
const unique = (actions: string[]): string[] => [...new Set(actions)];

function augmented(feature: KibanaFeature, primary: "all" | "read"): string[] {
  const included = feature.subFeatures.filter((s) => s.includeIn === "read" || s.includeIn === primary);
  return unique([...feature[primary], ...included.flatMap((s) => s.api)]);
}

/** Privilege name → actions, for the given Kibana version. */
export function kibanaRegisteredPrivileges(kibanaVersion: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const baseAll: string[] = [];
  const baseRead: string[] = [];
  for (const feature of kibanaFeatures(kibanaVersion)) {
    const all = augmented(feature, "all");
    const read = augmented(feature, "read");
    out[`feature_${feature.id}.all`] = [LOGIN, ...api(all)];
    out[`feature_${feature.id}.read`] = [LOGIN, ...api(read)];
    out[`feature_${feature.id}.minimal_all`] = [LOGIN, ...api(feature.all)];
    out[`feature_${feature.id}.minimal_read`] = [LOGIN, ...api(feature.read)];
    for (const sub of feature.subFeatures) out[`feature_${feature.id}.${sub.id}`] = [LOGIN, ...api(sub.api)];
    for (const reserved of feature.reserved) out[`reserved_${reserved.id}`] = api(reserved.api);
    baseAll.push(...api(all));
    baseRead.push(...api(read));
  }
  out.all = unique([LOGIN, "space:manage", ...baseAll]);
  out.read = unique([LOGIN, ...baseRead]);
  out.space_all = unique([LOGIN, ...baseAll]);
  out.space_read = unique([LOGIN, ...baseRead]);
  return out;
}
