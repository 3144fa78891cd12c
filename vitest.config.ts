import { defineConfig } from 'vitest/config';

// Unit and API tests run in parallel first; the browser tests then run one
// file at a time, because each starts a server and a Chromium and the
// machine has two cores: parallel browsers only make timings noisy.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', './shared/test/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit+api',
          include: ['shared/**/*.test.ts', 'server/**/*.test.ts', 'client/src/**/*.test.ts', 'seeds/**/*.test.ts'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
