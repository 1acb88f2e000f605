import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { apmAgentKeyInputs } from "../provider/resources/apm-agent-key/schema";
import type { Inputs, ResourceOptions } from "./inputs";
import { apmAgentKeyOutputs } from "../provider/resources/apm-agent-key/outputs";
import { outputKeys, secretOutputKeys } from "../provider/resources/shared/outputs";
import { ElasticResource } from "./resource";

/** Inputs of ApmAgentKey; see provider/resources/apm-agent-key/SPEC.md and the README reference. */
export type ApmAgentKeyArgs = Inputs<z.input<typeof apmAgentKeyInputs>>;

/** An APM agent API key. `apiKey` and `encoded` are Pulumi secrets. */
export class ApmAgentKey extends ElasticResource {
  /** The Elasticsearch API key id. */
  declare readonly keyId: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly privileges: pulumi.Output<string[]>;
  declare readonly spaceId: pulumi.Output<string | undefined>;
  declare readonly createdAt: pulumi.Output<string | undefined>;
  /** Secret: the key's api_key part. */
  declare readonly apiKey: pulumi.Output<string>;
  /** Secret: base64 of `id:api_key`, what agents send as `Authorization: ApiKey <encoded>`. */
  declare readonly encoded: pulumi.Output<string>;

  constructor(name: string, args: ApmAgentKeyArgs, opts?: ResourceOptions) {
    super(
      "ApmAgentKey",
      name,
      args,
      [...Object.keys(apmAgentKeyInputs.shape), ...outputKeys(apmAgentKeyOutputs)],
      secretOutputKeys(apmAgentKeyOutputs),
      opts,
    );
  }
}
