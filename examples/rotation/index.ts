// Rotation without an outage: each key rotates on its own schedule (`rotateAfter`, `rotateBeforeExpiry`), judged by
// the server's clock at every preview and up, and whenever `rotation` changes. The new key is created (and exported)
// first; the old one retires: it keeps working for `retireAfter`, then expires. Consumers pick the new value up on
// their next deployment, within the overlap.
import * as pulumi from "@pulumi/pulumi";
import * as elastic from "pulumi-elastic-keys";

const rotation = new pulumi.Config().get("rotation") ?? "2026-11";

const apm = new elastic.ApmAgentKey("checkout-apm", {
  name: "checkout-service",
  privileges: ["event:write", "config_agent:read"],
  rotationTrigger: rotation,
  rotateAfter: "25d",
  retireAfter: "24h",
});

// A cross-cluster key whose access can also change in place: that keeps its id and secret (no rotation needed).
const remote = new elastic.CrossClusterApiKey("archive-replication", {
  name: "archive-replication",
  access: { replication: [{ names: ["archive-*"] }] },
  rotationTrigger: rotation,
  expiration: "30d",
  rotateBeforeExpiry: "5d",
  retireAfter: "24h",
});

export const rotatedAt = rotation;
export const apmKeyId = apm.keyId;
export const apmKeyEncoded = apm.encoded; // secret
export const apmKeyRotatesAt = apm.rotatesAt;
export const replicationKeyId = remote.keyId;
export const replicationKeyEncoded = remote.encoded; // secret
