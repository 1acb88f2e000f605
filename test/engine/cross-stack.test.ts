// Keys flowing between stacks: a producer exports a cross-cluster key's `encoded` and an enrollment token, a consumer
// reads them with StackReference. They stay secrets on both sides, they work, and a rotation passes through.
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { CrossClusterApiKey, EnrollmentApiKey } from "../../sdk";
import { authenticatesAs as keyAuthenticatesAs, keyById, leaked, createAgentPolicy } from "../support/elastic-checks";
import { str, type Outs } from "../support/outputs";
import { useTarget, unique } from "../support/target";
import { withStack } from "../support/engine";

const t = useTarget({ before, after });

const authenticatesAs = (token: string) => keyAuthenticatesAs(t, token);

/** What the consumer got: both secrets, both still secret, and both the producer's current keys. */
async function assertConsumerUses(consumed: Outs, produced: Outs): Promise<void> {
  assert.equal(consumed.token.secret, true, "the enrollment token arrives as a secret");
  assert.equal(consumed.encoded.secret, true, "the cross-cluster key arrives as a secret");
  assert.equal(str(consumed, "token"), str(produced, "enrollToken"));
  assert.equal(str(consumed, "encoded"), str(produced, "ccEncoded"));
  // The enrollment token authenticates; the cross-cluster key is refused on REST (docs/elastic-api.md 0.2), so it is
  // confirmed by id.
  assert.equal(await authenticatesAs(str(consumed, "token")), str(produced, "enrollApiKeyId"));
  const ccId = Buffer.from(str(consumed, "encoded"), "base64").toString().split(":")[0];
  assert.equal(ccId, str(produced, "ccKeyId"));
  const cc = await keyById(t, ccId);
  assert.equal(cc?.invalidated, false, "the cross-cluster key is live");
  assert.equal((cc as { type?: string } | undefined)?.type, "cross_cluster");
}

describe("keys between stacks", () => {
  test("a consumer stack reads the producer's keys as secrets, uses them, and follows a rotation", async () => {
    const policyId = await createAgentPolicy(t, unique("xs"));
    const ccName = unique("xs-cc");
    let rotationTrigger = "v1";
    await withStack({
      projectName: "pek-producer",
      env: t.providerEnv(),
      program: async () => {
        const cc = new CrossClusterApiKey("remote", {
          name: ccName,
          access: { search: [{ names: "logs-*" }] },
          rotationTrigger,
        });
        const enroll = new EnrollmentApiKey("agents", { policyId, rotationTrigger });
        return {
          ccKeyId: cc.keyId,
          ccEncoded: cc.encoded,
          enrollToken: enroll.apiKey,
          enrollApiKeyId: enroll.apiKeyId,
        };
      },
    }).run(async (producer) => {
      const produced = (await producer.up()).outputs;
      assert.equal(produced.ccEncoded.secret, true);
      assert.equal(produced.enrollToken.secret, true);

      const ref = `organization/pek-producer/${producer.stack.name}`;
      await withStack({
        projectName: "pek-consumer",
        backendDir: producer.backendDir,
        env: t.providerEnv(),
        program: async () => {
          const upstream = new pulumi.StackReference("upstream", { name: ref });
          return { token: upstream.getOutput("enrollToken"), encoded: upstream.getOutput("ccEncoded") };
        },
      }).run(async (consumer) => {
        const consumed = (await consumer.up()).outputs;
        await assertConsumerUses(consumed, produced);

        // Never in plaintext, in either stack's state.
        const secrets = [str(produced, "ccEncoded"), str(produced, "enrollToken"), t.superuser.password];
        assert.deepEqual(leaked(await producer.exportText(), secrets), []);
        const consumerState = await consumer.exportText();
        assert.deepEqual(leaked(consumerState, secrets), []);
        assert.match(consumerState, /ciphertext/, "the consumer stores what it read encrypted");
        assert.deepEqual(leaked(consumer.log(), secrets), []);

        // Rotating the producer's keys and re-running the consumer passes the new values through.
        rotationTrigger = "v2";
        const rotated = (await producer.up()).outputs;
        assert.notEqual(str(rotated, "ccEncoded"), str(produced, "ccEncoded"));
        assert.notEqual(str(rotated, "enrollToken"), str(produced, "enrollToken"));
        const reconsumed = await consumer.up();
        await assertConsumerUses(reconsumed.outputs, rotated);
        assert.equal(await authenticatesAs(str(consumed, "token")), undefined, "the old token was revoked");
        assert.equal((await keyById(t, str(produced, "ccKeyId")))?.invalidated, true, "the old key was invalidated");
        assert.deepEqual(
          leaked(await consumer.exportText(), [str(rotated, "ccEncoded"), str(rotated, "enrollToken")]),
          [],
        );
      });
    });
  });
});
