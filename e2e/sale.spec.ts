import { expect, type Page, test } from '@playwright/test';
import {
  admitNow,
  createSale,
  crowdJoining,
  getOrder,
  listOrders,
  ticketOf,
} from './support/operator-api.js';
import {
  figure,
  fillCustomer,
  openDashboard,
  phone,
  screenshot,
  secondsOf,
  storedTicket,
} from './support/pages.js';

const ADA = { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.org', phone: '+44 7700 900123' };
const ALAN = { firstName: 'Alan', lastName: 'Turing', email: 'alan@example.org', phone: '+44 7700 900456' };

const POSTER = {
  id: 'tour-poster',
  name: 'Tour poster',
  description: 'A2, printed on recycled paper',
  priceCents: 2500,
  currency: 'EUR',
  stock: 100,
  maxPerOrder: 2,
};
const VINYL = {
  id: 'signed-vinyl',
  name: 'Signed vinyl',
  description: 'The album on 180 g vinyl, signed by the band',
  priceCents: 4000,
  currency: 'EUR',
  stock: 1,
  maxPerOrder: 1,
};

const SHOPPER_DESKTOP = { width: 1024, height: 768 };

/** A shopper's page in a browser of its own, joined to the line; checks the position shown. */
async function joinAs(page: Page, roomId: string, roomName: string, position: number) {
  await page.goto(`/rooms/${roomId}`);
  await expect(page.getByRole('heading', { level: 1, name: roomName })).toBeVisible();
  await page.getByRole('button', { name: 'Join the line' }).click();
  const card = page.getByRole('region', { name: 'You are in line' });
  await expect(figure(card, 'Your place in line')).toHaveText(String(position));
  return card;
}

/** The product's card in the order form. */
function productCard(page: Page, name: string) {
  return page.getByRole('listitem').filter({ has: page.getByRole('heading', { name, exact: true }) });
}

test('a sale from the line to the order: admit, order, wait, raise the rate, reload, sold out', async ({
  browser,
  request,
}) => {
  const room = { id: 'spring-drop', name: 'Spring drop' };
  // Rate 0: nobody is let in until the operator says so. The heartbeat timeout outlasts the
  // test, for the crowd joining by the API that never calls again.
  await createSale(request, { ...room, admitRatePerMinute: 0, heartbeatTimeoutSeconds: 900 }, [
    POSTER,
    VINYL,
  ]);

  // The shoppers on a desktop browser; the operator on a taller screen.
  const first = await browser.newContext({ viewport: SHOPPER_DESKTOP });
  const second = await browser.newContext({ viewport: SHOPPER_DESKTOP });
  const operator = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const pageA = await first.newPage();
  const pageB = await second.newPage();
  const dashboard = await operator.newPage();
  let crowd: ReturnType<typeof crowdJoining> | null = null;

  try {
    await test.step('two shoppers join in order: positions 1 and 2', async () => {
      const cardA = await joinAs(pageA, room.id, room.name, 1);
      await expect(cardA.getByText('You are next', { exact: true })).toBeVisible();
      const cardB = await joinAs(pageB, room.id, room.name, 2);
      await expect(cardB.getByText('1 person ahead of you')).toBeVisible();
      // At rate 0 there is no wait to promise.
      await expect(figure(cardB, 'Estimated wait')).toHaveText('—');
      // Nobody moved: the first is still first.
      await expect(figure(cardA, 'Your place in line')).toHaveText('1');
      // More shoppers keep arriving behind them (by the API), which the dashboard shows.
      crowd = crowdJoining(room.id);
    });

    await test.step('the operator signs in and admits one now', async () => {
      await openDashboard(dashboard, room.name);
      const live = dashboard.getByRole('region', { name: 'Live' });
      await expect(figure(live, 'Admitted')).toHaveText('0');
      await dashboard.getByLabel('Admit now').fill('1');
      await dashboard.getByRole('button', { name: 'Admit', exact: true }).click();
      await expect(dashboard.getByText('Admitted 1.')).toBeVisible();
      await expect(figure(live, 'Admitted')).toHaveText('1');
    });

    let orderId = '';
    await test.step('the first is admitted, fills the order form and orders', async () => {
      await expect(pageA.getByRole('heading', { name: 'It is your turn' })).toBeVisible();
      await expect(pageA.getByRole('timer')).toHaveText(/^\d{1,2}:\d\d$/);
      await expect(productCard(pageA, VINYL.name)).toContainText('1 left');
      await expect(productCard(pageA, POSTER.name)).toContainText('100 left');
      await pageA.getByRole('button', { name: `One more ${POSTER.name}` }).click();
      await pageA.getByRole('button', { name: `One more ${VINYL.name}` }).click();
      await fillCustomer(pageA, ADA);
      await expect(pageA.getByText('Total', { exact: true }).locator('xpath=..')).toContainText('€65.00');
      await pageA.getByRole('button', { name: 'Place order' }).click();

      await expect(pageA.getByRole('heading', { name: 'Order confirmed' })).toBeVisible();
      const id = pageA.getByText(/^ord_[A-Za-z0-9_-]{16}$/);
      await expect(id).toBeVisible();
      orderId = (await id.textContent()) ?? '';
      const lines = pageA.getByRole('table', { name: 'What you bought' });
      await expect(lines.getByRole('row', { name: /Tour poster/ })).toContainText('€25.00');
      await expect(lines.getByRole('row', { name: /Signed vinyl/ })).toContainText('€40.00');
      await expect(lines.getByRole('row', { name: /Total/ })).toContainText('€65.00');

      // The order the page confirmed is the one the server holds.
      const order = await getOrder(request, orderId);
      expect(order).toMatchObject({ roomId: room.id, status: 'confirmed', totalCents: 6500 });
      expect(order.customer).toEqual({ ...ADA, phone: '+447700900123' });
      expect(order.items).toEqual(
        expect.arrayContaining([
          { productId: POSTER.id, quantity: 1, unitPriceCents: 2500 },
          { productId: VINYL.id, quantity: 1, unitPriceCents: 4000 },
        ]),
      );
      test.info().annotations.push({ type: 'order', description: orderId });
    });

    await test.step('screenshots: the order confirmation, desktop and phone', async () => {
      await screenshot(pageA, 'order-confirmation', { trim: true });
      const mobile = await phone(browser, first);
      const page = await mobile.newPage();
      await page.goto(`/rooms/${room.id}`);
      await expect(page.getByRole('heading', { name: 'Order confirmed' })).toBeVisible();
      await expect(page.getByText(orderId)).toBeVisible();
      await screenshot(page, 'order-confirmation-phone');
      await mobile.close();
    });

    const cardB = pageB.getByRole('region', { name: 'You are in line' });
    const etaB = figure(cardB, 'Estimated wait');
    await test.step('the second still waits, now with position 1', async () => {
      await expect(figure(cardB, 'Your place in line')).toHaveText('1');
      await expect(cardB.getByText('You are next', { exact: true })).toBeVisible();
      await expect(etaB).toHaveText('—');
    });

    const etas: number[] = [];
    await test.step("the operator raises the rate and the second's estimate falls", async () => {
      const settings = dashboard.getByRole('region', { name: 'Settings' });
      const rate = settings.getByLabel('Admissions per minute');
      // Slow enough that the second is not let in by the rate before the test admits them.
      for (const perMinute of ['0.2', '0.5']) {
        await rate.fill(perMinute);
        await settings.getByRole('button', { name: 'Save settings' }).click();
        await expect(settings.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
        const before = etas.at(-1) ?? Number.POSITIVE_INFINITY;
        // Pushed to the shopper's page over the live stream.
        await expect.poll(async () => secondsOf(await etaB.textContent())).toBeLessThan(before);
        const seconds = secondsOf(await etaB.textContent());
        expect(seconds).not.toBeNull();
        etas.push(seconds ?? 0);
      }
      // One place at 0.2 a minute is 5 minutes; at 0.5 a minute, 2.
      expect(etas).toEqual([300, 120]);
      await expect(etaB).toHaveText('2 min');
      await expect(cardB.getByText(/^likely /)).toBeVisible();
      test.info().annotations.push({ type: 'estimate', description: `${etas[0]} s → ${etas[1]} s` });
    });

    await test.step('a reload keeps the place: same position, same ticket', async () => {
      const kept = await storedTicket(pageB, room.id);
      expect(kept).not.toBeNull();
      const ticket = await ticketOf(request, room.id, kept?.queueToken ?? '');
      const joins: string[] = [];
      pageB.on('request', (r) => {
        if (r.method() === 'POST' && r.url().includes('/tickets')) joins.push(r.url());
      });
      await pageB.reload();
      await expect(figure(cardB, 'Your place in line')).toHaveText('1');
      await expect(etaB).toHaveText('2 min');
      await expect(cardB.getByText('Live: updates as the line moves')).toBeVisible();
      expect(joins).toEqual([]);
      const after = await storedTicket(pageB, room.id);
      expect(after?.queueToken).toBe(kept?.queueToken);
      expect(await ticketOf(request, room.id, after?.queueToken ?? '')).toMatchObject({
        ticketId: ticket.ticketId,
        state: 'waiting',
        position: 1,
      });
    });

    await test.step('screenshots: the waiting page, desktop and phone', async () => {
      await screenshot(pageB, 'waiting-page', { trim: true });
      // Another tab of the same browser, on a phone: the same place.
      const mobile = await phone(browser, second);
      const page = await mobile.newPage();
      await page.goto(`/rooms/${room.id}`);
      const card = page.getByRole('region', { name: 'You are in line' });
      await expect(figure(card, 'Your place in line')).toHaveText('1');
      await expect(figure(card, 'Estimated wait')).toHaveText('2 min');
      await expect(card.getByText('Live: updates as the line moves')).toBeVisible();
      await screenshot(page, 'waiting-page-phone');
      await mobile.close();
    });

    await test.step('screenshots: the dashboard, desktop and phone', async () => {
      const joined = crowd?.joined ?? 0;
      crowd?.stop();
      crowd = null;
      const live = dashboard.getByRole('region', { name: 'Live' });
      // The figures settle: the last of the crowd counted, the order counted.
      await expect(figure(live, 'Joined')).toHaveText(String(2 + joined), { timeout: 15_000 });
      await expect(figure(live, 'Ordered')).toHaveText('1');
      await expect(figure(live, 'Waiting')).toHaveText(String(1 + joined));
      await expect(dashboard.getByRole('region', { name: 'Orders' }).getByText(orderId)).toBeVisible();
      await screenshot(dashboard, 'dashboard');

      const mobile = await phone(browser);
      const page = await mobile.newPage();
      await openDashboard(page, room.name);
      await expect(figure(page.getByRole('region', { name: 'Live' }), 'Joined')).toHaveText(
        String(2 + joined),
      );
      // A few samples for the charts.
      await expect(page.getByRole('img', { name: /^Waiting\. Now: Waiting: \d+/ })).toBeVisible();
      await page.waitForTimeout(4500);
      await screenshot(page, 'dashboard-phone');
      await mobile.close();
    });

    await test.step('sold out shows as sold out', async () => {
      // The second is let in after the first bought the only signed vinyl.
      const admitted = dashboard.waitForResponse((r) => r.url().endsWith(`/rooms/${room.id}/admit`));
      await dashboard.getByLabel('Admit now').fill('1');
      await dashboard.getByRole('button', { name: 'Admit', exact: true }).click();
      expect((await admitted).status()).toBe(200);

      await expect(pageB.getByRole('heading', { name: 'It is your turn' })).toBeVisible();
      const vinyl = productCard(pageB, VINYL.name);
      await expect(vinyl).toContainText('Sold out');
      await expect(pageB.getByRole('button', { name: `One more ${VINYL.name}` })).toBeDisabled();
      await expect(pageB.getByLabel(`Quantity of ${VINYL.name}`)).toBeDisabled();
      await expect(productCard(pageB, POSTER.name)).toContainText('99 left');

      // And on the sale's landing page, for the next one to come.
      await pageA.getByRole('button', { name: 'Done' }).click();
      const onSale = pageA.getByRole('region', { name: 'On sale' });
      await expect(onSale.getByRole('listitem').filter({ hasText: VINYL.name })).toContainText('sold out');
      await expect(onSale.getByRole('listitem').filter({ hasText: POSTER.name })).toContainText('99 left');
    });
  } finally {
    (crowd as ReturnType<typeof crowdJoining> | null)?.stop();
    await Promise.all([first.close(), second.close(), operator.close()]);
  }
});

test('an order for what sold out meanwhile is refused with a clear message, and sells nothing', async ({
  browser,
  request,
}) => {
  const room = { id: 'last-one', name: 'Last one left' };
  await createSale(request, { ...room, admitRatePerMinute: 0 }, [POSTER, VINYL]);
  const first = await browser.newContext();
  const second = await browser.newContext();
  try {
    const pageA = await first.newPage();
    const pageB = await second.newPage();
    await joinAs(pageA, room.id, room.name, 1);
    await joinAs(pageB, room.id, room.name, 2);
    expect(await admitNow(request, room.id, 2)).toBe(2);

    // Both are let in while one signed vinyl is left, and both want it.
    for (const page of [pageA, pageB]) {
      await expect(page.getByRole('heading', { name: 'It is your turn' })).toBeVisible();
      await expect(productCard(page, VINYL.name)).toContainText('1 left');
      await page.getByRole('button', { name: `One more ${VINYL.name}` }).click();
    }
    await fillCustomer(pageA, ADA);
    await pageA.getByRole('button', { name: 'Place order' }).click();
    await expect(pageA.getByRole('heading', { name: 'Order confirmed' })).toBeVisible();

    await fillCustomer(pageB, ALAN);
    await pageB.getByRole('button', { name: 'Place order' }).click();
    const refusal = pageB.getByRole('alert');
    await expect(refusal).toContainText('Not enough left');
    await expect(refusal).toContainText('there is not enough left of Signed vinyl. Nothing was ordered.');
    // The form now shows what is left: the vinyl sold out, its quantity back to 0.
    await expect(productCard(pageB, VINYL.name)).toContainText('Sold out');
    await expect(pageB.getByLabel(`Quantity of ${VINYL.name}`)).toHaveValue('0');
    expect(await listOrders(request, room.id)).toHaveLength(1);

    // The turn was not used up: something still in stock can be ordered.
    await pageB.getByRole('button', { name: `One more ${POSTER.name}` }).click();
    await pageB.getByRole('button', { name: 'Place order' }).click();
    await expect(pageB.getByRole('heading', { name: 'Order confirmed' })).toBeVisible();
    const orders = await listOrders(request, room.id);
    expect(orders).toHaveLength(2);
    expect(orders.flatMap((o) => o.items).filter((i) => i.productId === VINYL.id)).toHaveLength(1);
  } finally {
    await Promise.all([first.close(), second.close()]);
  }
});
