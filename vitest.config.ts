import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Each test file that needs Temporal starts its own test server process; two cores, so keep it modest.
    maxWorkers: 2,
  },
});
