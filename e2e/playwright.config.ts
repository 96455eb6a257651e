import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import { ADMIN_TOKEN, BASE_URL, CHROMIUM, CHROMIUM_ARGS, PORT } from './support/server-env.js';

const root = fileURLToPath(new URL('..', import.meta.url));

// The tests drive the server and pages as built for production: no build, no test.
const built = ['apps/server/dist/server.js', 'apps/web/dist/shopper.html', 'apps/web/dist/admin.html'];
const missing = built.filter((path) => !existsSync(join(root, path)));
if (missing.length > 0) {
  throw new Error(
    `The end-to-end tests run the built server and pages, and ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing: run \`npm run build\` first.`,
  );
}
if (!existsSync(CHROMIUM)) {
  throw new Error(
    `No Chromium at ${CHROMIUM}: install Debian's (apt-get install chromium) or set E2E_CHROMIUM to another one.`,
  );
}

// A fresh data directory for each run, made once by the runner (its workers inherit the
// variable) and removed when the runner exits, after the server was stopped.
if (!process.env.E2E_DATA_DIR) {
  const dir = mkdtempSync(join(tmpdir(), 'waitroom-e2e-'));
  process.env.E2E_DATA_DIR = dir;
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
}

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: './test-results',
  // One server, one line per room: the steps of a sale run in order, one test at a time.
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: process.env.CI === 'true',
  timeout: 120_000,
  expect: { timeout: 10_000 },
  reporter: 'list',
  use: {
    baseURL: BASE_URL,
    browserName: 'chromium',
    launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS },
    viewport: { width: 1280, height: 800 },
    locale: 'en-GB',
    timezoneId: 'Europe/London',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  webServer: {
    command: 'node apps/server/dist/server.js',
    cwd: root,
    url: `${BASE_URL}/readyz`,
    reuseExistingServer: false,
    timeout: 30_000,
    // Stopped as in production (it writes its journal and closes its stores) before the data
    // directory is removed.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      PORT: String(PORT),
      HOST: '127.0.0.1',
      DATA_DIR: process.env.E2E_DATA_DIR,
      ADMIN_TOKEN,
      DEMO_ROOM: 'false',
      JOIN_LIMIT_PER_MINUTE: '0',
      LOG_LEVEL: 'warn',
      ADMIT_TICK_MS: '250',
      // The embedded stores, whatever this shell points at.
      REDIS_URL: '',
      DATABASE_URL: '',
      QUEUE_TOKEN_SECRET: '',
      SIGNING_KEYS: '',
      TRUST_PROXY: '',
    },
  },
});
