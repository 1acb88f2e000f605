// Rotation without an outage: changing `rotation` replaces each key create-before-delete, so the new key exists
// (and is exported) before the old one is invalidated. Consumers pick the new value up on their next deployment.
import * as pulumi from "@pulumi/pulumi";
import * as elastic from "pulumi-elastic-keys";

const rotation = new pulumi.Config().get("rotation") ?? "2026-11";

const apm = new elastic.ApmAgentKey("checkout-apm", {
  name: "checkout-service",
  privileges: ["event:write", "config_agent:read"],
  rotationTrigger: rotation,
});

// A cross-cluster key whose access can also change in place: that keeps its id and secret (no rotation needed).
const remote = new elastic.CrossClusterApiKey("archive-replication", {
  name: "archive-replication",
  access: { replication: [{ names: ["archive-*"] }] },
  rotationTrigger: rotation,
});

export const rotatedAt = rotation;
export const apmKeyId = apm.keyId;
export const apmKeyEncoded = apm.encoded; // secret
export const replicationKeyId = remote.keyId;
export const replicationKeyEncoded = remote.encoded; // secret
