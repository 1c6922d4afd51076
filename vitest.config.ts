import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // End-to-end tests spawn the built CLI; give them room on a two-core machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // vitest's default is one worker per core but one, so a single worker on a two-core
    // machine; most of the suite waits on database servers and spawned processes, and every
    // test file works in a database and a directory of its own, so three run side by side.
    maxWorkers: 3,
  },
});
