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
    reporters: ['default'],
    // GitHub's workflow parser and language service import JSON without import attributes,
    // which Node refuses: let vitest transform them.
    server: { deps: { inline: [/@actions\/(workflow-parser|languageservice|expressions)/] } },
  },
});
