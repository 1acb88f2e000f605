// The `pulumi-elastic-keys/native` entry: the plugin's generated TypeScript SDK compiled into dist/native
// (tsconfig.native.json), with its package.json beside it, which the generated code reads its version from.
import { execFileSync } from "node:child_process";
import { copyFileSync } from "node:fs";
import * as path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
execFileSync(path.join(root, "node_modules", ".bin", "tsc"), ["-p", path.join(root, "tsconfig.native.json")], {
  stdio: "inherit",
});
copyFileSync(path.join(root, "plugin/sdks/nodejs/package.json"), path.join(root, "dist/native/package.json"));
