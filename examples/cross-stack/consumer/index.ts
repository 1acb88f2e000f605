// An application stack: takes the credentials the platform stack made. They arrive as secrets and stay secrets.
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
const producer = new pulumi.StackReference(config.require("producerStack"));

// What this stack hands on, e.g. into a Kubernetes Secret or a CI variable; here simply exported.
export const enrollmentToken = producer.requireOutput("enrollmentToken"); // secret
export const remoteClusterCredential = producer.requireOutput("crossClusterEncoded"); // secret
export const remoteClusterKeyId = producer.requireOutput("crossClusterKeyId");
