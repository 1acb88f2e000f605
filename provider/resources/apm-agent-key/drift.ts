// An agent key changed outside Pulumi (SPEC R14): the update API (`PUT /_security/api_key/{id}`) can give a key any
// role descriptors — `{}` hands it all of its owner's privileges — and any metadata, without changing its id or
// secret. Refresh compares what Elasticsearch returns (`role_descriptors`, `metadata`: docs/elastic-api.md C.3) with
// what this resource makes, and records the difference so the next `up` repairs it.
import type { ApiKeyInfo } from "../../elastic/elasticsearch";
import { ElasticKeysError } from "../../elastic/errors";
import { canonical } from "../../framework/lifecycle";
import { withMark } from "../shared/marks";
import { agentKeyBody } from "./agent-key";

/** How the next `up` repairs it: the update API (the caller owns the key), or a replacement (new key first). */
export type Repair = "update" | "replace";

export interface AgentKeyDrift {
  /** What differs, in words (no secret: descriptors and metadata only). */
  found: string[];
  repair: Repair;
}

/** A rendered descriptor as what it grants: defaults (empty lists and objects) and non-granting fields left out. */
function granted(descriptor: unknown): unknown {
  if (!descriptor || typeof descriptor !== "object") return descriptor;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(descriptor as Record<string, unknown>)) {
    if (k === "metadata" || k === "transient_metadata" || k === "description") continue;
    if (Array.isArray(v) ? v.length === 0 : v && typeof v === "object" && Object.keys(v).length === 0) continue;
    out[k === "index" ? "indices" : k] = k === "applications" && Array.isArray(v) ? v.map(sortedApplication) : v;
  }
  return out;
}

function sortedApplication(app: unknown): unknown {
  if (!app || typeof app !== "object") return app;
  const a = app as Record<string, unknown>;
  const sorted = (x: unknown) => (Array.isArray(x) ? [...x].map(String).sort() : x);
  return { ...a, privileges: sorted(a.privileges), resources: sorted(a.resources) };
}

const grantedAll = (descriptors: Record<string, unknown>) =>
  canonical(Object.fromEntries(Object.entries(descriptors).map(([n, d]) => [n, granted(d)])));

/** The metadata this resource gives a key: Kibana's `application: "apm"` and the create's mark (R7). */
export const agentKeyMetadata = (mark: unknown) => withMark({ application: "apm" }, mark);

/** What differs between the key Elasticsearch holds and the one this resource makes; empty when nothing does. */
export function agentKeyDifferences(key: ApiKeyInfo, privileges: string[], mark: unknown): string[] {
  if (key.role_descriptors === undefined)
    throw new ElasticKeysError(
      "unexpected_answer",
      `reading API key ${key.id} returned no role_descriptors, so its privileges cannot be checked`,
      {
        fix: "point the provider at Elasticsearch itself (8.5 or later returns them), not at a proxy that rewrites answers",
      },
    );
  const made = agentKeyBody(key.name, privileges, typeof mark === "string" ? mark : "");
  const found: string[] = [];
  if (grantedAll(key.role_descriptors) !== grantedAll(made.role_descriptors))
    found.push(
      Object.keys(key.role_descriptors).length === 0
        ? "its role_descriptors are empty, so it holds all of its owner's privileges"
        : `its role_descriptors grant ${grantedAll(key.role_descriptors)}, not the apm privileges ${privileges.join(", ")} alone`,
    );
  const expected = agentKeyMetadata(mark);
  if (canonical(key.metadata ?? {}) !== canonical(expected))
    found.push(`its metadata is ${canonical(key.metadata ?? {})}, not ${canonical(expected)}`);
  return found;
}
