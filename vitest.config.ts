import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'server/**/*.test.ts', 'client/src/**/*.test.ts', 'seeds/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
