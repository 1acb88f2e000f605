// The platform stack: owns the keys, exports them as secrets for application stacks.
import * as pulumi from "@pulumi/pulumi";
import * as elastic from "pulumi-elastic-keys";

const config = new pulumi.Config();
const rotation = config.get("rotation") ?? "initial";

const remoteSearch = new elastic.CrossClusterApiKey("analytics", {
  name: "analytics-remote-search",
  access: { search: [{ names: ["logs-*", "metrics-*"] }] },
  rotationTrigger: rotation,
});
const enrollment = new elastic.EnrollmentApiKey("edge-hosts", {
  policyId: config.require("policyId"),
  rotationTrigger: rotation,
});

export const crossClusterKeyId = remoteSearch.keyId;
export const crossClusterEncoded = remoteSearch.encoded; // secret
export const enrollmentKeyId = enrollment.keyId;
export const enrollmentToken = enrollment.apiKey; // secret
