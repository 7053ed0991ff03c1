import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Installs Temporal's servers on a fresh machine (minutes, once) before any test file starts one.
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Each test file that needs Temporal starts its own server process; two cores, so keep it modest.
    maxWorkers: 2,
  },
});
