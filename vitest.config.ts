import { defineConfig } from "vitest/config";

// Timing tests (*.timing.test.ts) bound wall time; they run in a pass of their own, one file at
// a time, after the others (TIERSIM_TIMING=1, scripts/test-all.mjs), so a bound measures the
// code under test and not the test files running beside it on a 2-core machine.
const timing = process.env.TIERSIM_TIMING === "1";

export default defineConfig({
  test: {
    include: timing ? ["test/**/*.timing.test.ts"] : ["test/**/*.test.ts"],
    exclude: timing ? [] : ["test/**/*.timing.test.ts", "node_modules/**"],
    fileParallelism: !timing,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
