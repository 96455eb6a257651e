import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';
import { redisIsAvailable } from './packages/store-redis/src/testing/redis-available.js';

const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The HTTP suite runs twice: on the embedded store, and on Redis (as several instances would).
// Without Redis the second run is left out on a developer's machine; in CI it must run.
const onRedis = process.env.CI === 'true' || (await redisIsAvailable());

export default defineConfig({
  resolve: {
    // Tests run against the sources, so `npm test` needs no build first.
    alias: {
      '@waitroom/core': src('./packages/core/src/index.ts'),
      '@waitroom/store-contract': src('./packages/store-contract/src/index.ts'),
      '@waitroom/store-redis/testing': src('./packages/store-redis/src/testing/index.ts'),
      '@waitroom/store-redis': src('./packages/store-redis/src/index.ts'),
      '@waitroom/orders/testing': src('./packages/orders/src/testing/index.ts'),
      '@waitroom/orders': src('./packages/orders/src/index.ts'),
      '@waitroom/verifier': src('./packages/verifier/src/index.ts'),
    },
  },
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'all',
          include: [
            'packages/*/src/**/*.test.ts',
            'apps/*/src/**/*.test.ts',
            'apps/*/test/**/*.test.ts',
            'infra/test/**/*.test.ts',
          ],
          // The web app's components run in their own project, in a browser-like DOM.
          exclude: [...configDefaults.exclude, 'apps/web/src/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'web',
          include: ['apps/web/src/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
          setupFiles: ['apps/web/src/shared/test/setup.ts'],
        },
      },
      ...(onRedis
        ? [
            {
              extends: true as const,
              test: {
                name: 'server on Redis',
                include: ['apps/server/test/**/*.test.ts'],
                // Those run on Redis already, whatever the project.
                exclude: [
                  'apps/server/test/multi-instance.test.ts',
                  'apps/server/test/redis-*.test.ts',
                  'apps/server/test/cluster-proxy.test.ts',
                  // The order races test the databases; the queue store plays no part.
                  'apps/server/test/orders-race.test.ts',
                ],
                env: { TEST_QUEUE_STORE: 'redis' },
              },
            },
          ]
        : []),
    ],
  },
});
