// Answers to a create that prove nothing (README, Troubleshooting: which answers are settled by mark): a 500 after
// the server committed the write, and answers a proxy garbled after the commit (the product header dropped, an HTML
// page, every field's type changed, the same body under status 500). On every create route — agent key, cross-cluster
// key, enrollment key (Fleet), role — each is settled by the create's mark: the object ends up in state once, nothing
// is left live that no state holds, and no secret any answer held appears in an error.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FaultRule, Garble } from "../../emulator";
import type { Connection } from "../../provider/elastic/connection";
import type { Lifecycle } from "../../provider/framework/lifecycle";
import { apmAgentKeyLifecycle } from "../../provider/resources/apm-agent-key/lifecycle";
import { apmRoleLifecycle } from "../../provider/resources/apm-role/lifecycle";
import { crossClusterApiKeyLifecycle } from "../../provider/resources/cross-cluster-api-key/lifecycle";
import { enrollmentApiKeyLifecycle } from "../../provider/resources/enrollment-api-key/lifecycle";
import { leaked } from "../support/elastic-checks";
import { recordingProxy, secretsIn, type RecordingProxy } from "../support/proxies";
import { agentPolicy, failure, useEmulator } from "../support/lifecycle-harness";

const h = useEmulator();
let es: RecordingProxy;
let kibana: RecordingProxy;
let policyId: string;
let conn: Connection;
let unique = 0;

beforeAll(async () => {
  es = await recordingProxy(h.emu.esUrl);
  kibana = await recordingProxy(h.emu.kibanaUrl);
  conn = h.conn(undefined, { ELASTICSEARCH_ENDPOINTS: es.url, KIBANA_ENDPOINT: kibana.url });
  policyId = await agentPolicy(h, "untrusted");
});
afterAll(async () => {
  await es?.close();
  await kibana?.close();
});

interface Subject {
  type: string;
  lc: Lifecycle;
  route: Pick<FaultRule, "listener" | "method" | "path">;
  inputs(name: string): Record<string, unknown>;
  /** The live objects this resource's create made (by name, from the emulator's own state). */
  live(name: string): string[];
  /** An API key made through Elasticsearch: a lost answer loses its secret, so what it made is discarded. */
  keyed: boolean;
}

const liveFleetKeys = (name: string) =>
  h.emu.admin
    .state()
    .enrollmentKeys.filter((k) => k.active && k.name?.startsWith(`${name}-`))
    .map((k) => k.id);

const SUBJECTS: Subject[] = [
  {
    type: "ApmAgentKey",
    lc: apmAgentKeyLifecycle,
    route: { listener: "es", method: "POST", path: "^/_security/api_key$" },
    inputs: (name) => ({ name, privileges: ["event:write"] }),
    live: (name) => h.liveKeys(name).map((k) => k.id),
    keyed: true,
  },
  {
    type: "CrossClusterApiKey",
    lc: crossClusterApiKeyLifecycle,
    route: { listener: "es", method: "POST", path: "^/_security/cross_cluster/api_key$" },
    inputs: (name) => ({ name, access: { search: [{ names: ["logs-*"] }] } }),
    live: (name) => h.liveKeys(name).map((k) => k.id),
    keyed: true,
  },
  {
    type: "EnrollmentApiKey",
    lc: enrollmentApiKeyLifecycle,
    route: { listener: "kibana", method: "POST", path: "^/api/fleet/enrollment_api_keys$" },
    inputs: (name) => ({ policyId, namePrefix: name }),
    live: liveFleetKeys,
    keyed: false,
  },
  {
    type: "ApmRole",
    lc: apmRoleLifecycle,
    route: { listener: "es", method: "PUT", path: "^/_security/role/untrusted-" },
    inputs: (name) => ({ name }),
    live: (name) =>
      h.emu.admin
        .state()
        .roles.filter((r) => r.name === name)
        .map((r) => r.name),
    keyed: false,
  },
];

type Fault = Omit<FaultRule, "listener" | "method" | "path">;
const GARBLES: Garble[] = ["drop-product-header", "html", "retype", "restatus"];
const FAULTS: [string, Fault][] = [
  ["a 500 after the commit", { kind: "commit-then-fail", status: 500 }],
  ...GARBLES.map((garble): [string, Fault] => [
    `a garbled answer after the commit (${garble})`,
    { kind: "commit-then-garble", garble },
  ]),
];

async function withFaults<T>(rules: FaultRule[], run: () => Promise<T>): Promise<T> {
  h.emu.admin.setFaults(rules);
  try {
    return await run();
  } finally {
    h.emu.admin.clearFaults();
  }
}

describe.each(SUBJECTS)("$type: a create whose answer proves nothing is settled by its mark", (s) => {
  it.each(FAULTS)("%s: in state once, nothing else live", async (_what, fault) => {
    const name = `untrusted-${++unique}`;
    const made = await withFaults([{ ...s.route, ...fault, count: 1 }], () => h.create(s.lc, conn, s.inputs(name)));
    expect(s.live(name)).toEqual([made.id]);
  });

  // A role's replacement is a rename: a create on the same route, covered above.
  it.skipIf(s.type === "ApmRole")(
    "a rotation (a replacement's create) under a garbled answer: the new object alone",
    async () => {
      const name = `untrusted-${++unique}`;
      const old = await h.create(s.lc, conn, s.inputs(name));
      const fault: FaultRule = { ...s.route, kind: "commit-then-garble", garble: "restatus", count: 1 };
      const fresh = await withFaults([fault], () =>
        h.replace(s.lc, conn, old, { ...s.inputs(name), rotationTrigger: "2" }),
      );
      expect(fresh.id).not.toBe(old.id);
      expect(s.live(name)).toEqual([fresh.id]);
    },
  );
});

describe("when every attempt's answer proves nothing", () => {
  it.each(SUBJECTS.filter((s) => s.keyed).map((s) => [s.type, s] as const))(
    "%s: the create fails, leaves no live key, and its error holds no secret of any answer",
    async (_type, s) => {
      const name = `untrusted-${++unique}`;
      const before = es.answers.length;
      const err = await withFaults(
        [
          { ...s.route, kind: "commit-then-garble", garble: "restatus", count: 2 },
          { ...s.route, kind: "commit-then-garble", garble: "html", status: 502, count: 2 },
          { ...s.route, kind: "commit-then-fail", status: 500, count: 1 },
        ],
        () => failure(h.create(s.lc, conn, s.inputs(name))),
      );
      expect(err.code).toBe("outcome_unknown");
      expect(s.live(name)).toEqual([]);
      const secrets = secretsIn(es.answers.slice(before));
      expect(secrets.length).toBeGreaterThanOrEqual(8); // api_key, encoded and its id prefix of 4 answers, at least
      expect(leaked(err.message + JSON.stringify(err.details), secrets)).toEqual([]);
    },
  );
});
