import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { apmRoleInputs } from "../provider/resources/apm-role/schema";
import type { Inputs, ResourceOptions } from "./inputs";
import { apmRoleOutputs } from "../provider/resources/apm-role/outputs";
import { outputKeys, secretOutputKeys } from "../provider/resources/shared/outputs";
import { ElasticResource } from "./resource";

/** Inputs of ApmRole; see provider/resources/apm-role/SPEC.md and the README reference. */
export type ApmRoleArgs = Inputs<z.input<typeof apmRoleInputs>>;

/** An Elasticsearch role whose holders can create and invalidate APM agent keys (and nothing more). */
export class ApmRole extends ElasticResource {
  declare readonly name: pulumi.Output<string>;
  declare readonly privileges: pulumi.Output<string[]>;
  declare readonly spaces: pulumi.Output<string[]>;
  declare readonly cluster: pulumi.Output<string[]>;
  declare readonly description: pulumi.Output<string | undefined>;
  declare readonly metadata: pulumi.Output<Record<string, unknown>>;

  constructor(name: string, args: ApmRoleArgs, opts?: ResourceOptions) {
    super(
      "ApmRole",
      name,
      args,
      [...Object.keys(apmRoleInputs.shape), ...outputKeys(apmRoleOutputs)],
      secretOutputKeys(apmRoleOutputs),
      opts,
    );
  }
}
