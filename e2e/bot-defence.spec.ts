import { expect, test } from '@playwright/test';
import { createSale } from './support/operator-api.js';
import { figure, storedTicket } from './support/pages.js';

const ROOM = {
  id: 'guarded-drop',
  name: 'Guarded drop',
  // Nobody is admitted while the test looks at the line.
  admitRatePerMinute: 0,
  heartbeatTimeoutSeconds: 3600,
  requireChallenge: true,
};
const SCARF = { id: 'scarf', name: 'Scarf', priceCents: 3000, currency: 'EUR', stock: 10 };

test('a room that asks for a proof of work: the page joins without a word about it, and one browser keeps one place', async ({
  browser,
  request,
}) => {
  await createSale(request, ROOM, [SCARF]);
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`/rooms/${ROOM.id}`);
  await expect(page.getByRole('heading', { level: 1, name: ROOM.name })).toBeVisible();

  const firstJoin = page.waitForRequest(
    (r) => r.method() === 'POST' && r.url().endsWith(`/api/rooms/${ROOM.id}/tickets`),
  );
  await page.getByRole('button', { name: 'Join the line' }).click();
  const card = page.getByRole('region', { name: 'You are in line' });
  await expect(figure(card, 'Your place in line')).toHaveText('1');
  expect((await firstJoin).headers()['x-altcha']).toEqual(expect.any(String));
  await expect(page.getByText(/puzzle|proof of work|challenge/i)).toHaveCount(0);
  const first = await storedTicket(page, ROOM.id);

  // The cookie the join left is the server's alone: scripts on the page cannot read it.
  const [cookie] = (await context.cookies()).filter((c) => c.name === 'wr_place');
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: `/api/rooms/${ROOM.id}/tickets` });
  expect(await page.evaluate(() => document.cookie)).not.toContain('wr_place');

  // The page forgets its ticket (storage cleared, say) and the shopper joins again: same place.
  await page.evaluate((key) => window.localStorage.removeItem(key), `waitroom:ticket:${ROOM.id}`);
  await page.reload();
  const secondJoin = page.waitForResponse(
    (r) => r.request().method() === 'POST' && r.url().endsWith('/tickets'),
  );
  await page.getByRole('button', { name: 'Join the line' }).click();
  expect((await secondJoin).status()).toBe(200);
  await expect(figure(card, 'Your place in line')).toHaveText('1');
  expect((await storedTicket(page, ROOM.id))?.queueToken).toBe(first?.queueToken);

  // Another browser is another shopper: a place of its own, behind.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await otherPage.goto(`/rooms/${ROOM.id}`);
  await otherPage.getByRole('button', { name: 'Join the line' }).click();
  await expect(
    figure(otherPage.getByRole('region', { name: 'You are in line' }), 'Your place in line'),
  ).toHaveText('2');
  await other.close();
  await context.close();
});
