import { fileURLToPath } from 'node:url';

/**
 * Where the end-to-end tests' server listens and how it is run: shared by the config (which
 * starts it) and the specs (which talk to it).
 */
export const PORT = Number(process.env.E2E_PORT ?? 3917);
export const BASE_URL = `http://127.0.0.1:${PORT}`;

/** The operator token the server is started with (at least 16 characters). */
export const ADMIN_TOKEN = 'e2e-operator-token-7f3a9c1d52b8';

/** Debian's Chromium: the browsers Playwright downloads are not used. */
export const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** The screenshots the README shows, overwritten by each run. */
export const IMAGES_DIR = fileURLToPath(new URL('../../docs/images/', import.meta.url));
