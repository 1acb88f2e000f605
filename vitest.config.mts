import { defineConfig } from "vitest/config";

// Unit and emulator-conformance tests run from TypeScript sources. Engine tests (test/engine) run on compiled
// JavaScript under node's own test runner, because the dynamic-provider serializer needs real require.cache identity.
export default defineConfig({
  test: {
    include: ["test/unit/**/*.test.ts", "test/conformance/**/*.test.ts", "test/lifecycle/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
  },
});
