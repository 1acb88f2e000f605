// The real engine end to end with the smallest dynamic resource: proves the CLI, the Automation harness, the
// file backend and the dynamic-provider plugin work together before any Elastic resource is involved.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { pulumiCommand } from "../../scripts/lib/stack";
import { withStack } from "../support/engine";

const counterProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs) {
    return { id: `item-${inputs.label}`, outs: { ...inputs, length: String(inputs.label).length } };
  },
  async diff(_id, olds, news) {
    return { changes: olds.label !== news.label };
  },
};

class Item extends pulumi.dynamic.Resource {
  declare readonly length: pulumi.Output<number>;
  constructor(name: string, label: string) {
    super(counterProvider, name, { label, length: undefined }, {}, "smoke", "Item");
  }
}

test("a trivial dynamic resource goes through up, a no-change preview and destroy on the real CLI", async () => {
  const cli = await pulumiCommand();
  console.log(`# engine: pulumi ${cli.version?.toString()} at ${cli.command}`);
  assert.equal(cli.version?.toString(), "3.259.0");
  await withStack({
    program: async () => {
      const items = ["alpha", "beta", "gamma"].map((l) => new Item(l, l));
      return { lengths: items.map((i) => i.length) };
    },
  }).run(async (s) => {
    const up = await s.up();
    assert.equal(up.summary.result, "succeeded");
    assert.equal(up.summary.resourceChanges?.create, 4, "3 items + the stack itself");
    assert.deepEqual(up.outputs.lengths.value, [5, 4, 5]);

    const preview = await s.preview();
    assert.deepEqual(preview.changeSummary, { same: 4 });

    const destroy = await s.destroy();
    assert.equal(destroy.summary.resourceChanges?.delete, 4);
  });
});
