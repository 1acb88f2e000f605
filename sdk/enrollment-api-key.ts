import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { enrollmentApiKeyInputs } from "../provider/resources/enrollment-api-key/schema";
import { enrollmentApiKeyOutputs } from "../provider/resources/enrollment-api-key/outputs";
import { outputKeys, secretOutputKeys } from "../provider/resources/shared/outputs";
import type { Inputs, ResourceOptions } from "./inputs";
import { ElasticResource } from "./resource";

/** Inputs of EnrollmentApiKey; see provider/resources/enrollment-api-key/SPEC.md and the README reference. */
export type EnrollmentApiKeyArgs = Inputs<z.input<typeof enrollmentApiKeyInputs>>;

/**
 * A Fleet enrollment API key (the token Elastic Agents enroll with). `apiKey` is a Pulumi secret. Without `name`,
 * the key is named `<namePrefix or logical name>-<random>` and every replacement gets a new name.
 */
export class EnrollmentApiKey extends ElasticResource {
  /** The Fleet enrollment key id (also the resource id). */
  declare readonly keyId: pulumi.Output<string>;
  /** The id of the Elasticsearch API key underneath. */
  declare readonly apiKeyId: pulumi.Output<string>;
  declare readonly policyId: pulumi.Output<string>;
  /** The name sent to Fleet: the given one, or the generated one. */
  declare readonly name: pulumi.Output<string>;
  /** The start of a generated name (the logical name unless set); undefined for an explicit name. */
  declare readonly namePrefix: pulumi.Output<string | undefined>;
  /** The name Fleet shows: `"<name> (<keyId>)"`. */
  declare readonly fleetName: pulumi.Output<string>;
  declare readonly spaceId: pulumi.Output<string | undefined>;
  declare readonly active: pulumi.Output<boolean>;
  declare readonly createdAt: pulumi.Output<string>;
  /** Secret: the enrollment token (`elastic-agent enroll --enrollment-token <apiKey>`). */
  declare readonly apiKey: pulumi.Output<string>;

  constructor(name: string, args: EnrollmentApiKeyArgs, opts?: ResourceOptions) {
    super(
      "EnrollmentApiKey",
      name,
      args,
      [...Object.keys(enrollmentApiKeyInputs.shape), ...outputKeys(enrollmentApiKeyOutputs)],
      secretOutputKeys(enrollmentApiKeyOutputs),
      opts,
    );
  }
}
