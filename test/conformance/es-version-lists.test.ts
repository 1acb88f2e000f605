// Version-tagged lists and shapes of Elasticsearch (emulator/es/builtin-privileges.ts, es/cross-cluster-access.ts;
// the upstream files and pull requests are cited there): the built-in privilege names each version lists and accepts
// in a role, and the cluster privileges a cross-cluster key's descriptor stores.
import { describe, expect, test } from "vitest";
import { harnessPerVersion } from "../support/conformance";

const VERSIONS = ["8.14.3", "8.15.5", "8.16.6", "8.17.4", "8.18.1", "8.19.0", "9.0.2", "9.1.0", "9.2.0"] as const;
type Version = (typeof VERSIONS)[number];
const at = harnessPerVersion(VERSIONS);

const FAILURE_STORE = ["manage_failure_store", "read_failure_store"];

describe("GET /_security/privilege/_builtin lists exactly the names of each version", () => {
  test.each([
    // version, cluster count, index count, remote_cluster
    ["8.14.3", 59, 22, undefined],
    ["8.15.5", 61, 22, ["monitor_enrich"]],
    ["8.16.6", 61, 22, ["monitor_enrich"]],
    ["8.17.4", 62, 22, ["monitor_enrich", "monitor_stats"]],
    ["8.18.1", 62, 22, ["monitor_enrich", "monitor_stats"]],
    ["8.19.0", 62, 24, ["monitor_enrich", "monitor_stats"]],
    ["9.0.2", 62, 22, ["monitor_enrich", "monitor_stats"]],
    ["9.1.0", 64, 24, ["monitor_enrich", "monitor_stats"]],
    ["9.2.0", 64, 24, ["monitor_enrich", "monitor_stats"]],
  ] as const)("%s: %i cluster, %i index privileges", async (v, cluster, index, remote) => {
    const r = await at(v).es.get("/_security/privilege/_builtin");
    expect(r.status).toBe(200);
    const names = { cluster: r.body.cluster as unknown as string[], index: r.body.index as unknown as string[] };
    expect(names.cluster).toHaveLength(cluster);
    expect(names.index).toHaveLength(index);
    expect([...names.cluster]).toEqual([...names.cluster].sort());
    expect([...names.index]).toEqual([...names.index].sort());
    expect(r.body.remote_cluster).toEqual(remote);
  });

  test("the failure-store index privileges appear with 8.19 and 9.1, not in 8.18 or 9.0", async () => {
    for (const v of ["8.18.1", "9.0.2"] as const) {
      const index = (await at(v).es.get("/_security/privilege/_builtin")).body.index as unknown as string[];
      for (const name of FAILURE_STORE) expect(index).not.toContain(name);
    }
    for (const v of ["8.19.0", "9.1.0"] as const) {
      const index = (await at(v).es.get("/_security/privilege/_builtin")).body.index as unknown as string[];
      expect(index).toEqual(expect.arrayContaining(FAILURE_STORE));
    }
  });

  test("connector privileges from 8.15, monitor_stats from 8.17, the ES|QL ones from 9.1 (not 8.19)", async () => {
    const cluster = async (v: Version) =>
      (await at(v).es.get("/_security/privilege/_builtin")).body.cluster as unknown as string[];
    expect(await cluster("8.14.3")).not.toContain("manage_connector");
    expect(await cluster("8.15.5")).toEqual(expect.arrayContaining(["manage_connector", "monitor_connector"]));
    expect(await cluster("8.16.6")).not.toContain("monitor_stats");
    expect(await cluster("8.17.4")).toContain("monitor_stats");
    expect(await cluster("8.19.0")).not.toContain("monitor_esql");
    expect(await cluster("9.1.0")).toEqual(expect.arrayContaining(["manage_esql", "monitor_esql"]));
  });
});

describe("a role may name only the privileges its version knows", () => {
  test("a role description is an unexpected field before 8.15 (RoleDescriptor.java, elastic/elasticsearch#107088)", async () => {
    const old = await at("8.14.3").es.put("/_security/role/described", { cluster: [], description: "d" });
    expect(old.status).toBe(400);
    expect(old.body.error.reason).toBe("failed to parse role [described]. unexpected field [description]");
    expect((await at("8.15.5").es.put("/_security/role/described", { cluster: [], description: "d" })).status).toBe(
      200,
    );
  });

  test("monitor_stats is an unknown cluster privilege before 8.17", async () => {
    const old = await at("8.16.6").es.put("/_security/role/stats", { cluster: ["monitor_stats"] });
    expect(old.status).toBe(400);
    expect(old.body.error.reason).toContain("unknown cluster privilege [monitor_stats]");
    expect(old.body.error.reason).not.toContain(",monitor_stats,");
    expect((await at("8.17.4").es.put("/_security/role/stats", { cluster: ["monitor_stats"] })).status).toBe(200);
  });

  test("read_failure_store is an unknown index privilege in 9.0 and a known one in 9.1", async () => {
    const role = { indices: [{ names: ["logs-*"], privileges: ["read_failure_store"] }] };
    const old = await at("9.0.2").es.put("/_security/role/failures", role);
    expect(old.status).toBe(400);
    expect(old.body.error.reason).toContain("unknown index privilege [read_failure_store]");
    expect((await at("9.1.0").es.put("/_security/role/failures", role)).status).toBe(200);
  });
});

describe("the cross-cluster key's stored role descriptor", () => {
  async function storedCluster(v: Version, access: Record<string, unknown>) {
    const h = at(v);
    const created = await h.es.post("/_security/cross_cluster/api_key", { name: "cc", access });
    const got = await h.es.get(`/_security/api_key?id=${created.body.id}`);
    return got.body.api_keys[0].role_descriptors.cross_cluster.cluster;
  }
  const SEARCH = { search: [{ names: ["logs-*"] }] };
  const BOTH = { ...SEARCH, replication: [{ names: ["archive-*"] }] };

  test("up to 8.14: cross_cluster_search alone for search, then cross_cluster_replication", async () => {
    expect(await storedCluster("8.14.3", SEARCH)).toEqual(["cross_cluster_search"]);
    expect(await storedCluster("8.14.3", BOTH)).toEqual(["cross_cluster_search", "cross_cluster_replication"]);
  });

  test("from 8.15: monitor_enrich follows cross_cluster_search", async () => {
    for (const v of ["8.15.5", "9.1.0"] as const) {
      expect(await storedCluster(v, SEARCH)).toEqual(["cross_cluster_search", "monitor_enrich"]);
      expect(await storedCluster(v, BOTH)).toEqual([
        "cross_cluster_search",
        "monitor_enrich",
        "cross_cluster_replication",
      ]);
    }
  });
});
