import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'default', include: ['test/**/*.test.ts'] } },
      // The HTTP flow and dispatcher tests again, with the bot on the Cosmos DB store (an in-process stand-in).
      {
        extends: true,
        test: {
          name: 'cosmos',
          include: ['test/http/**/*.test.ts', 'test/dispatch/**/*.test.ts'],
          env: { VERDIEP_TEST_STORE: 'cosmos' },
          setupFiles: ['test/support/cosmos-setup.ts'],
        },
      },
    ],
  },
});
