import { join } from 'node:path';
import { type Browser, type BrowserContext, expect, type Locator, type Page } from '@playwright/test';
import { ADMIN_TOKEN, IMAGES_DIR } from './server-env.js';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The value shown under a figure's label: `<dt>label</dt><dd>value</dd>`. */
export function figure(scope: Page | Locator, label: string): Locator {
  return scope
    .getByRole('term')
    .filter({ hasText: new RegExp(`^${escapeRegExp(label)}$`) })
    .locator('xpath=following-sibling::dd[1]');
}

/** A wait as the pages write it ("45 s", "12 min", "1 h 05 min") in seconds; null for "—". */
export function secondsOf(text: string | null): number | null {
  const t = (text ?? '').trim();
  const hours = /^(\d+) h (\d+) min$/.exec(t);
  if (hours) return Number(hours[1]) * 3600 + Number(hours[2]) * 60;
  const minutes = /^(\d+) min$/.exec(t);
  if (minutes) return Number(minutes[1]) * 60;
  const seconds = /^(\d+) s$/.exec(t);
  if (seconds) return Number(seconds[1]);
  return null;
}

/** What a shopper's browser keeps of its place in a room. */
export async function storedTicket(page: Page, roomId: string): Promise<{ queueToken: string } | null> {
  const text = await page.evaluate((key) => window.localStorage.getItem(key), `waitroom:ticket:${roomId}`);
  return text ? (JSON.parse(text) as { queueToken: string }) : null;
}

export async function fillCustomer(
  page: Page,
  customer: { firstName: string; lastName: string; email: string; phone: string },
) {
  await page.getByLabel('First name', { exact: true }).fill(customer.firstName);
  await page.getByLabel('Last name', { exact: true }).fill(customer.lastName);
  await page.getByLabel('E-mail', { exact: true }).fill(customer.email);
  await page.getByLabel('Phone', { exact: true }).fill(customer.phone);
}

/** The operator signs in with the token and opens a room's page from the list of rooms. */
export async function openDashboard(page: Page, roomName: string) {
  await page.goto('/admin');
  await page.getByLabel('Operator token').fill(ADMIN_TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Rooms' })).toBeVisible();
  await page.getByRole('link', { name: roomName }).click();
  await expect(page.getByRole('heading', { level: 1, name: roomName })).toBeVisible();
}

/** A phone: 390 × 844 CSS pixels at twice the density, touch, mobile layout. */
export async function phone(browser: Browser, from?: BrowserContext): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'en-GB',
    timezoneId: 'Europe/London',
    // The same browser's storage: the same place in line, the same confirmation.
    storageState: from ? await from.storageState() : undefined,
  });
}

/**
 * A screenshot for the README, into docs/images/ (overwritten each run), from the top of the
 * page. `trim`: cut the empty page below the content (a shopper's page on a desktop is one
 * narrow column).
 */
export async function screenshot(page: Page, name: string, { trim = false } = {}) {
  // Nothing moving, nothing blinking, no focus ring left by the test's own clicks.
  const bottom = await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
    return document.querySelector('main')?.getBoundingClientRect().bottom ?? null;
  });
  const viewport = page.viewportSize();
  const clip =
    trim && bottom !== null && viewport
      ? { x: 0, y: 0, width: viewport.width, height: Math.min(viewport.height, Math.ceil(bottom) + 40) }
      : undefined;
  await page.screenshot({
    path: join(IMAGES_DIR, `${name}.png`),
    animations: 'disabled',
    caret: 'hide',
    clip,
  });
}
