import { defineConfig } from "vitest/config";

/**
 * Test files that must have a process of their own: images.test.ts mocks the sharp module (vi.mock), which would
 * leak into, or miss, files sharing its module graph; print-marks.test.ts fakes Date.
 */
const ISOLATED = ["tests/images.test.ts", "tests/print-marks.test.ts"];

export default defineConfig({
  test: {
    // Compiles dist/ when it is not the sources' (the CLI tests run dist/cli/main.js): a stale dist/ cannot pass.
    // Makes the run's own temp folder the forks' TMPDIR and removes it at the end (tests/helpers/temp.ts).
    globalSetup: ["tests/helpers/global-setup.ts"],
    // Generous: on a shared 2-core machine a test that builds twice waits for the CPU, not for a bug.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Vitest's default in a run is one fork fewer than the cores: one fork on this 2-core machine, idle while the
    // CLI it spawned builds. Two forks keep both cores busy (the CLI builds are child processes).
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        // The other files run one after another in each fork, sharing loaded modules (pdfjs, sharp, the stages):
        // importing them anew for every file cost about a third of the suite's time.
        test: { name: "shared", include: ["tests/**/*.test.ts"], exclude: ISOLATED, isolate: false },
      },
      { extends: true, test: { name: "isolated", include: ISOLATED, isolate: true } },
    ],
  },
});
