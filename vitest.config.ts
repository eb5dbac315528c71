import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // Compiles dist/ when it is not the sources' (the CLI tests run dist/cli/main.js): a stale dist/ cannot pass.
    globalSetup: ["tests/helpers/global-setup.ts"],
    // Generous: on a shared 2-core machine a test that builds twice waits for the CPU, not for a bug.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
