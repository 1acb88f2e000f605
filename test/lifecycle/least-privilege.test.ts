// Each resource runs with exactly what its README "Needs" line names and nothing else: a user holding only those
// privileges creates, reads and deletes. For EnrollmentApiKey the Kibana privileges differ by version
// (emulator/kibana/features.ts): Fleet's agents_all sub-feature privilege from 8.18, Fleet all with Integrations read
// before — and the older grant alone is shown not to be enough where the Needs line says so.
import { beforeAll, describe, expect, it } from "vitest";
import { apmAgentKeyLifecycle } from "../../provider/resources/apm-agent-key/lifecycle";
import { apmRoleLifecycle } from "../../provider/resources/apm-role/lifecycle";
import { crossClusterApiKeyLifecycle } from "../../provider/resources/cross-cluster-api-key/lifecycle";
import { enrollmentApiKeyLifecycle } from "../../provider/resources/enrollment-api-key/lifecycle";
import type { Lifecycle } from "../../provider/framework/lifecycle";
import { type Harness, agentPolicy, failure, useEmulator } from "../support/lifecycle-harness";

type Props = Record<string, unknown>;

/** A user whose one role is exactly `role`. */
async function userWith(h: Harness, name: string, role: Props) {
  expect((await h.es("PUT", `/_security/role/${name}`, role)).status).toBe(200);
  return h.user(name, [name]);
}

/** create, read (live), delete, read (gone) as that user. */
async function roundTrip(h: Harness, lc: Lifecycle, auth: { username: string; password: string }, news: Props) {
  const conn = h.conn(auth);
  const created = await h.create(lc, conn, news);
  expect(await lc.read(conn, created.id, created.outs)).toMatchObject({ id: created.id });
  await lc.delete(conn, created.id, created.outs);
  expect(await lc.read(conn, created.id, created.outs)).toEqual({});
}

const kibanaRole = (privileges: string[]) => ({
  applications: [{ application: "kibana-.kibana", privileges, resources: ["*"] }],
});

/** An emulator at this version and the agent policy the keys are made for (as the superuser). */
function fleetAt(version: string): { h: Harness; policy: { id: string } } {
  const h = useEmulator({ esVersion: version });
  const policy = { id: "" };
  beforeAll(async () => {
    policy.id = await agentPolicy(h, "least");
  });
  return { h, policy };
}

describe("EnrollmentApiKey on Kibana 9.1: Fleet's agents_all sub-feature privilege", () => {
  const { h, policy } = fleetAt("9.1.0");

  it("feature_fleetv2.agents_all alone creates, reads and revokes a key", async () => {
    const user = await userWith(h, "agents-all", kibanaRole(["feature_fleetv2.agents_all"]));
    await roundTrip(h, enrollmentApiKeyLifecycle, user, { policyId: policy.id });
  });

  it("Fleet minimal_all alone is refused, naming the Kibana privilege", async () => {
    const user = await userWith(h, "minimal-all", kibanaRole(["feature_fleetv2.minimal_all"]));
    const err = await failure(h.create(enrollmentApiKeyLifecycle, h.conn(user), { policyId: policy.id }));
    expect(err.message).toContain("fleet-agents-all");
  });
});

describe("EnrollmentApiKey on Kibana 8.17: Fleet all with Integrations read", () => {
  const { h, policy } = fleetAt("8.17.4");

  it("feature_fleetv2.all with feature_fleet.read creates, reads and revokes a key", async () => {
    const user = await userWith(h, "fleet-all", kibanaRole(["feature_fleetv2.all", "feature_fleet.read"]));
    await roundTrip(h, enrollmentApiKeyLifecycle, user, { policyId: policy.id });
  });

  it("Fleet all without Integrations is refused; Fleet's bare 403 gets a fix naming the privileges", async () => {
    const user = await userWith(h, "fleet-only", kibanaRole(["feature_fleetv2.all"]));
    const err = await failure(h.create(enrollmentApiKeyLifecycle, h.conn(user), { policyId: policy.id }));
    expect(err.message).toContain("HTTP 403");
    expect(err.message).toContain("Elastic says: Forbidden");
    expect(err.message).toContain("`feature_fleetv2.all` and `feature_fleet.read`");
  });
});

describe("the Elasticsearch-only resources", () => {
  const h = useEmulator();

  it("ApmAgentKey: manage_own_api_key and the apm application privileges, no Kibana privilege", async () => {
    const user = await userWith(h, "agent-key-maker", {
      cluster: ["manage_own_api_key"],
      applications: [{ application: "apm", privileges: ["event:write", "config_agent:read"], resources: ["*"] }],
    });
    await roundTrip(h, apmAgentKeyLifecycle, user, { name: "least-agent-key", privileges: ["event:write"] });
  });

  it("ApmRole: manage_security alone", async () => {
    const user = await userWith(h, "role-admin", { cluster: ["manage_security"] });
    await roundTrip(h, apmRoleLifecycle, user, { name: "least-apm-role" });
  });

  it("CrossClusterApiKey: manage_security alone", async () => {
    const user = await userWith(h, "cc-admin", { cluster: ["manage_security"] });
    await roundTrip(h, crossClusterApiKeyLifecycle, user, {
      name: "least-cc",
      access: { search: [{ names: ["logs-*"] }] },
    });
  });
});
