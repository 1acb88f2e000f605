// The quickstart: the least-privilege role that creates APM agent keys, an agent key for one service, a Fleet
// enrollment token for a group of hosts, and a cross-cluster key for a remote analytics cluster.
import * as pulumi from "@pulumi/pulumi";
import * as elastic from "pulumi-elastic-keys";

const config = new pulumi.Config();
const policyId = config.require("policyId");
const space = config.get("space") ?? "default";

// Holders of this role can create and invalidate APM agent keys, and nothing more.
const creatorRole = new elastic.ApmRole("apm-key-creator", {
  name: "apm-key-creator",
  spaces: [space],
  // `description: "…"` documents the role on Elasticsearch 8.15+ (8.14 refuses the field): left out, so this
  // example runs on every version the README claims.
});

// The key the checkout service's APM agent sends; `encoded` is what goes into ELASTIC_APM_API_KEY.
const checkoutKey = new elastic.ApmAgentKey("checkout-service", {
  name: "checkout-service",
  privileges: ["event:write", "config_agent:read"],
});

// An enrollment token for the edge hosts' agent policy; the name gets a unique suffix (Fleet never reuses names).
const edgeEnrollment = new elastic.EnrollmentApiKey("edge-hosts", { policyId });

// Lets the analytics cluster search our logs remotely, for 30 days at a time.
const analyticsAccess = new elastic.CrossClusterApiKey("analytics-cluster", {
  name: "analytics-read-logs",
  access: { search: [{ names: ["logs-*"] }] },
  expiration: "30d",
  metadata: { team: "analytics" },
});

export const roleName = creatorRole.name;
export const agentKeyId = checkoutKey.keyId;
export const agentKeyEncoded = checkoutKey.encoded; // secret
export const enrollmentKeyId = edgeEnrollment.keyId;
export const enrollmentToken = edgeEnrollment.apiKey; // secret
export const crossClusterKeyId = analyticsAccess.keyId;
export const crossClusterEncoded = analyticsAccess.encoded; // secret
