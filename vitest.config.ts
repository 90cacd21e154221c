import { defineConfig } from 'vitest/config';

// Test tiers are kept apart so each can run alone (npm run test:<tier>); `npm test` runs them all.
export default defineConfig({
  test: {
    // Two test files at a time: most of a file's time is spent waiting on its stack (HTTP, timers,
    // chromium), and vitest's default on a 2-core machine (cores - 1) runs them one by one.
    maxWorkers: 2,
    projects: [
      // Property tests run a few seconds alone; a loaded machine (CI, two cores) must not fail them on time.
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 30_000 } },
      { test: { name: 'adapters', include: ['test/adapters/**/*.test.ts'], testTimeout: 30_000 } },
      { test: { name: 'workflow', include: ['test/workflow/**/*.test.ts'], testTimeout: 60_000 } },
      { test: { name: 'infra', include: ['test/infra/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 } },
      { test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 } },
      { test: { name: 'reliability', include: ['test/reliability/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 } },
      // Debian's chromium through playwright-core; the setup installs it when missing.
      { test: { name: 'browser', include: ['test/browser/**/*.test.ts'], testTimeout: 180_000, hookTimeout: 300_000 } },
    ],
  },
});
