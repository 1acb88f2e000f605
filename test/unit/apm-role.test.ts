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
const checked = (news: Record<string, unknown>) => lc.check(conn, {}, { name: "r", ...news, [NAME_INPUT]: "r" });

describe("ApmRole cluster privileges (R8)", () => {
  it("accepts predefined names (any case) and Elasticsearch's action patterns without a word", async () => {
    const cluster = ["monitor", "MANAGE_API_KEY", "cluster:monitor/*", "indices:admin/index_template/*"];
    expect(await checked({ cluster })).toEqual({ inputs: expect.anything() });
  });

  it("lets an unknown name through with a preview warning naming the closest known names (Elasticsearch decides)", async () => {
    const r = await checked({ cluster: ["monitor", "manage_api_kye", "indices:data/read/*"] });
    expect(r.failures).toBeUndefined();
    expect(r.warnings).toEqual([
      // Not a cluster action pattern (those begin cluster: or indices:admin/template/): no close name either.
      expect.stringMatching(/cluster privilege "indices:data\/read\/\*" is not one Elasticsearch 8.14 to 9.x knows; /),
      expect.stringMatching(
        /^ApmRole "r": cluster privilege "manage_api_kye" is not one .* \(did you mean "manage_api_key"/,
      ),
    ]);
  });

  it("knows the same names as the emulator (both model Elasticsearch 8.14 to 9.x)", () => {
    expect([...CLUSTER_PRIVILEGE_NAMES].sort()).toEqual([...EMULATED].sort());
  });
});
