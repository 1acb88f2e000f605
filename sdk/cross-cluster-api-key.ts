import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import type { CrossClusterAccess } from "../provider/resources/cross-cluster-api-key/access";
import { crossClusterApiKeyInputs } from "../provider/resources/cross-cluster-api-key/schema";
import { crossClusterApiKeyOutputs } from "../provider/resources/cross-cluster-api-key/outputs";
import { outputKeys, secretOutputKeys } from "../provider/resources/shared/outputs";
import type { Inputs, ResourceOptions } from "./inputs";
import { ElasticResource } from "./resource";

/** Inputs of CrossClusterApiKey; see provider/resources/cross-cluster-api-key/SPEC.md and the README reference. */
export type CrossClusterApiKeyArgs = Inputs<z.input<typeof crossClusterApiKeyInputs>>;

/**
 * An Elasticsearch cross-cluster API key, for a remote cluster's API-key-based connection. `apiKey` and `encoded` are
 * Pulumi secrets. `access` and `metadata` update in place (same key, same secret); other changes rotate the key.
 */
export class CrossClusterApiKey extends ElasticResource {
  /** The Elasticsearch API key id (also the resource id). */
  declare readonly keyId: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  /** The access in canonical form: sorted, defaults filled in, `query` as a JSON string. */
  declare readonly access: pulumi.Output<CrossClusterAccess>;
  declare readonly metadata: pulumi.Output<Record<string, unknown>>;
  declare readonly expiration: pulumi.Output<string | undefined>;
  /** Absolute expiry (ISO 8601), when `expiration` was given. */
  declare readonly expiresAt: pulumi.Output<string | undefined>;
  /** Secret: the key's api_key part. */
  declare readonly apiKey: pulumi.Output<string>;
  /** Secret: base64 of `id:api_key`, what the remote cluster's keystore holds (`cluster.remote.<alias>.credentials`). */
  declare readonly encoded: pulumi.Output<string>;

  constructor(name: string, args: CrossClusterApiKeyArgs, opts?: ResourceOptions) {
    super(
      "CrossClusterApiKey",
      name,
      args,
      [...Object.keys(crossClusterApiKeyInputs.shape), ...outputKeys(crossClusterApiKeyOutputs)],
      secretOutputKeys(crossClusterApiKeyOutputs),
      opts,
    );
  }
}
