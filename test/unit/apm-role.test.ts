// ApmRole inputs: cluster privileges known to the supported Elasticsearch versions (R8).
import { describe, expect, it } from "vitest";
import { CLUSTER_PRIVILEGE_NAMES as EMULATED } from "../../emulator/cluster-privileges";
import { Connection } from "../../provider/elastic/connection";
import { NAME_INPUT } from "../../provider/framework/lifecycle";
import { CLUSTER_PRIVILEGE_NAMES } from "../../provider/resources/apm-role/cluster-privileges";
import { apmRoleLifecycle as lc } from "../../provider/resources/apm-role/lifecycle";

const conn = new Connection({
  config: {},
  env: { ELASTICSEARCH_ENDPOINTS: "http://127.0.0.1:1", ELASTICSEARCH_API_KEY: "k" },
});
const reasons = async (news: Record<string, unknown>) =>
  ((await lc.check(conn, {}, { name: "r", ...news, [NAME_INPUT]: "r" })).failures ?? []).map((f) => f.reason);

describe("ApmRole cluster privileges (R8)", () => {
  it("accepts predefined names and action patterns", async () => {
    expect(
      await reasons({ cluster: ["monitor", "manage_api_key", "cluster:monitor/*", "indices:data/read/*"] }),
    ).toEqual([]);
  });

  it("refuses an unknown name at preview, with the fix", async () => {
    expect(await reasons({ cluster: ["monitor", "manage_apm_keys"] })).toEqual([
      expect.stringMatching(/^cluster\.1: is not a cluster privilege Elasticsearch knows: use a predefined name/),
    ]);
  });

  it("knows the same names as the emulator (both model Elasticsearch 8.14 to 9.x)", () => {
    expect([...CLUSTER_PRIVILEGE_NAMES].sort()).toEqual([...EMULATED].sort());
  });
});
