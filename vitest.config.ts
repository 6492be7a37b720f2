import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    teardownTimeout: 20_000,
    pool: 'forks',
    // Most test time is waiting on real-time flows (canary steps, deadlines, retries), not CPU:
    // vitest's default of one worker per core but one left 2-core CI running files one at a time
    // (15 min); three at once took 6.8 min on the same machine.
    maxWorkers: Math.max(3, availableParallelism()),
    reporters: ['default'],
    // GitHub's workflow parser and language service import JSON without import attributes,
    // which Node refuses: let vitest transform them.
    server: { deps: { inline: [/@actions\/(workflow-parser|languageservice|expressions)/] } },
  },
});
