// A wrong URL — an SSO proxy or a login page answering every request with a 200 HTML sign-in page (README,
// Troubleshooting: a wrong URL). Before a create is sent, the service it goes to shows that it answers at its URL
// (provider/elastic/service-proof.ts): on every create route the create fails with a plain error naming the setting,
// nothing is sent to create anything and nothing is left in state. And a create an earlier version left unresolved at
// such a URL is settled by its mark where the corrected settings point.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Connection } from "../../provider/elastic/connection";
import { withUrn } from "../../provider/elastic/errors";
import type { Lifecycle } from "../../provider/framework/lifecycle";
import { NAME_INPUT } from "../../provider/framework/lifecycle";
import { CLUSTER_INPUT } from "../../provider/framework/cluster-record";
import { apmAgentKeyLifecycle } from "../../provider/resources/apm-agent-key/lifecycle";
import { apmRoleLifecycle } from "../../provider/resources/apm-role/lifecycle";
import { crossClusterApiKeyLifecycle } from "../../provider/resources/cross-cluster-api-key/lifecycle";
import { enrollmentApiKeyLifecycle } from "../../provider/resources/enrollment-api-key/lifecycle";
import { forwardingProxy, signInPage, type SignInPage } from "../support/proxies";
import { agentPolicy, failure, useEmulator } from "../support/lifecycle-harness";

const h = useEmulator();
let page: SignInPage;
let policyId: string;
let unique = 0;

beforeAll(async () => {
  page = await signInPage();
  policyId = await agentPolicy(h, "wrong-url");
});
afterAll(() => page?.close());

interface Subject {
  what: string;
  lc: Lifecycle;
  /** The env var whose URL is wrong. */
  setting: "KIBANA_ENDPOINT" | "ELASTICSEARCH_ENDPOINTS";
  inputs(name: string): Record<string, unknown>;
  /** The live objects on the real cluster this resource's creates made (by name, from the emulator's own state). */
  live(name: string): string[];
}

const liveFleetKeys = (name: string) =>
  h.emu.admin
    .state()
    .enrollmentKeys.filter((k) => k.active && k.name?.startsWith(`${name}-`))
    .map((k) => k.id);
const liveRoles = (name: string) =>
  h.emu.admin
    .state()
    .roles.filter((r) => r.name === name)
    .map((r) => r.name);

const SUBJECTS: Subject[] = [
  {
    what: "EnrollmentApiKey",
    lc: enrollmentApiKeyLifecycle,
    setting: "KIBANA_ENDPOINT",
    inputs: (name) => ({ policyId, namePrefix: name }),
    live: liveFleetKeys,
  },
  {
    what: "ApmRole with adoptExisting",
    lc: apmRoleLifecycle,
    setting: "ELASTICSEARCH_ENDPOINTS",
    inputs: (name) => ({ name, adoptExisting: true }),
    live: liveRoles,
  },
  {
    what: "ApmRole",
    lc: apmRoleLifecycle,
    setting: "ELASTICSEARCH_ENDPOINTS",
    inputs: (name) => ({ name }),
    live: liveRoles,
  },
  {
    what: "ApmAgentKey",
    lc: apmAgentKeyLifecycle,
    setting: "ELASTICSEARCH_ENDPOINTS",
    inputs: (name) => ({ name, privileges: ["event:write"] }),
    live: (name) => h.liveKeys(name).map((k) => k.id),
  },
  {
    what: "CrossClusterApiKey",
    lc: crossClusterApiKeyLifecycle,
    setting: "ELASTICSEARCH_ENDPOINTS",
    inputs: (name) => ({ name, access: { search: [{ names: ["logs-*"] }] } }),
    live: (name) => h.liveKeys(name).map((k) => k.id),
  },
];

const writes = () => h.emu.admin.requests().filter((r) => r.method !== "GET").length;

describe.each(SUBJECTS)("$what: a wrong URL answering a 200 sign-in page", (s) => {
  it("fails the create with a plain error naming the setting, sends nothing to create, keeps nothing; the corrected URL creates", async () => {
    const name = `wrong-url-${++unique}`;
    const wrong = h.conn(undefined, { [s.setting]: page.url });
    const sentBefore = page.requests.length;
    const writesBefore = writes();
    const err = await failure(h.create(s.lc, wrong, s.inputs(name)));
    expect(err.code).toBe("unexpected_answer");
    expect(err.message).toContain(`env ${s.setting}`);
    expect(err.message).not.toContain("does not prove whether it was applied");
    expect(err.details.partialState).toBeUndefined(); // no unresolved record in state
    expect(page.requests.slice(sentBefore).filter((r) => r.method !== "GET")).toEqual([]);
    expect(writes()).toBe(writesBefore);
    expect(s.live(name)).toEqual([]);

    const made = await h.create(s.lc, h.conn(), s.inputs(name));
    expect(s.live(name)).toEqual([made.id]);
  });
});

describe("a create left unresolved at a wrong URL by an earlier version", () => {
  /** The state such a create left: its checked inputs, recorded at the sign-in page, under an unresolved id. */
  async function leftUnresolved(name: string) {
    const wrong = h.conn(undefined, { KIBANA_ENDPOINT: page.url });
    const checked = await enrollmentApiKeyLifecycle.check(
      wrong,
      {},
      { policyId, namePrefix: name, [NAME_INPUT]: "enroll" },
    );
    const props = checked.inputs!;
    return { id: `unresolved-create:${policyId}/${String(props.name)}`, props };
  }
  const listening = (conn: Connection) => {
    const heard: string[] = [];
    return { conn: new Connection(conn.source, { warn: (m) => void heard.push(m) }), heard };
  };
  /** A key under the create's generated name, as if the wrong URL had passed the create on to Fleet. */
  async function madeBehind(name: string): Promise<string> {
    const res = await fetch(`${h.emu.kibanaUrl}/api/fleet/enrollment_api_keys`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`elastic:${h.emu.superuser.password}`).toString("base64")}`,
        "kbn-xsrf": "t",
        "content-type": "application/json",
      },
      body: JSON.stringify({ policy_id: policyId, name }),
    });
    return ((await res.json()) as { item: { id: string } }).item.id;
  }

  it("while the URL is still wrong, refresh and destroy say what to do, and state stays", async () => {
    const { id, props } = await leftUnresolved(`wrong-left-${++unique}`);
    const wrong = h.conn(undefined, { KIBANA_ENDPOINT: page.url });
    for (const op of [
      () => enrollmentApiKeyLifecycle.read(wrong, id, props),
      () => enrollmentApiKeyLifecycle.delete(wrong, id, props),
    ]) {
      const err = await failure(op());
      expect(err.code).toBe("undecidable");
      expect(err.message).toContain("never resolved");
      expect(err.message).toContain("env KIBANA_ENDPOINT");
      expect(err.message).toContain("pulumi refresh --run-program");
    }
  });

  it("through the plugin, whose provider keeps the wrong URL it recorded, the error names the URN to state delete", async () => {
    const { id, props } = await leftUnresolved(`wrong-left-${++unique}`);
    const wrong = h.conn(undefined, { KIBANA_ENDPOINT: page.url });
    const plugin = new Connection({ ...wrong.source, origin: { frontEnd: "plugin" } });
    const urn = "urn:pulumi:dev::p::elastic:index:EnrollmentApiKey::enroll";
    const err = withUrn(await failure(enrollmentApiKeyLifecycle.delete(plugin, id, props)), urn) as Error;
    expect(err.message).toContain(`pulumi state delete '${urn}'`);
    expect(err.message).not.toContain("--run-program");
  });

  it("refresh with the corrected URL finds nothing by its mark there and removes the record", async () => {
    const { id, props } = await leftUnresolved(`wrong-left-${++unique}`);
    const sentBefore = page.requests.length;
    const { conn, heard } = listening(h.conn());
    expect(await enrollmentApiKeyLifecycle.read(conn, id, props)).toEqual({});
    expect(heard.join("\n")).toContain("made nothing that is live there");
    // The URL the settings no longer name was asked who answers, never given the credential.
    expect(page.requests.slice(sentBefore).every((r) => !r.authorized)).toBe(true);
  });

  it("refresh and destroy with the corrected URL remove what the create made there, found by its mark", async () => {
    for (const op of ["read", "delete"] as const) {
      const name = `wrong-left-${++unique}`;
      const { id, props } = await leftUnresolved(name);
      const key = await madeBehind(String(props.name));
      expect(liveFleetKeys(name)).toEqual([key]);
      const { conn, heard } = listening(h.conn());
      if (op === "read") expect(await enrollmentApiKeyLifecycle.read(conn, id, props)).toEqual({});
      else await enrollmentApiKeyLifecycle.delete(conn, id, props);
      expect(liveFleetKeys(name)).toEqual([]);
      expect(heard.join("\n")).toContain(`it had made ${key}, which is removed`);
    }
  });

  it("a dynamic up with the corrected URL is refused at preview, saying to refresh first", async () => {
    const { props } = await leftUnresolved(`wrong-left-${++unique}`);
    const checked = await enrollmentApiKeyLifecycle.check(h.conn(), props, { ...props });
    expect(checked.failures?.[0].reason).toContain("pulumi refresh --run-program` first");
  });

  it("a record where Kibana does answer is another cluster: nothing is looked for elsewhere", async () => {
    const proxy = await forwardingProxy(h.emu.kibanaUrl, async () => {});
    try {
      const name = `wrong-left-${++unique}`;
      const { id, props } = await leftUnresolved(name);
      const elsewhere = { ...props, [CLUSTER_INPUT]: proxy.url };
      await madeBehind(String(props.name));
      const err = await failure(enrollmentApiKeyLifecycle.read(h.conn(), id, elsewhere));
      expect(err.message).toContain("but the settings now name");
      expect(liveFleetKeys(name)).toHaveLength(1);
    } finally {
      await proxy.close();
    }
  });
});
