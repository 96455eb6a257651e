import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import {
  admittedStatus,
  type FakeServer,
  installFakeServer,
  openRoom,
  QUEUE_TOKEN,
  waitingStatus,
} from '../shared/test/fake-server';
import { ShopperApp } from './shopper-app';

const TICKET_KEY = 'waitroom:ticket:demo';

/** A shopper who joined earlier: the place kept in this browser. */
function alreadyInLine(firstPosition = 20) {
  window.localStorage.setItem(TICKET_KEY, JSON.stringify({ queueToken: QUEUE_TOKEN, firstPosition }));
}

function renderPage() {
  return render(<ShopperApp roomId="demo" />);
}

async function fillCustomer(user: ReturnType<typeof userEvent.setup>, email = 'ada@example.org') {
  await user.type(screen.getByLabelText('First name'), 'Ada');
  await user.type(screen.getByLabelText('Last name'), 'Lovelace');
  if (email) await user.type(screen.getByLabelText('E-mail'), email);
  await user.type(screen.getByLabelText('Phone'), '+44 7700 900123');
}

describe('the landing page', () => {
  it('shows what is on sale and the wait now, and joins the line', async () => {
    const server = installFakeServer();
    const user = userEvent.setup();
    renderPage();

    expect(await screen.findByRole('heading', { name: 'Spring drop' })).toBeInTheDocument();
    expect(screen.getByText('Waiting now').nextElementSibling).toHaveTextContent('120');
    expect(screen.getByText('Your wait if you join now').nextElementSibling).toHaveTextContent('≈ 3 min');
    const onSale = await screen.findByRole('region', { name: 'On sale' });
    expect(within(onSale).getByText('Tour poster')).toBeInTheDocument();
    expect(within(onSale).getByText('€25.00')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Join the line' }));
    expect(await screen.findByRole('heading', { name: 'You are in line' })).toBeInTheDocument();
    expect(server.calls('POST /api/rooms/demo/tickets')).toHaveLength(1);
    expect(JSON.parse(window.localStorage.getItem(TICKET_KEY) ?? 'null')).toEqual({
      queueToken: QUEUE_TOKEN,
      firstPosition: 12,
    });
  });

  it('joins a room that asks for a proof of work: solved in the background, sent with the join, unseen', async () => {
    const server = installFakeServer({ room: openRoom({ requireChallenge: true }) });
    const user = userEvent.setup();
    renderPage();

    // The challenge is fetched as soon as the room says it needs one, before any click.
    await waitFor(() => expect(server.calls('GET /api/rooms/demo/challenge')).toHaveLength(1));
    await user.click(await screen.findByRole('button', { name: 'Join the line' }));
    expect(await screen.findByRole('heading', { name: 'You are in line' })).toBeInTheDocument();
    const [joinCall] = server.calls('POST /api/rooms/demo/tickets');
    expect(joinCall?.headers['x-altcha']).toEqual(expect.any(String));
    expect(server.calls('POST /api/rooms/demo/tickets')).toHaveLength(1);
    expect(screen.queryByText(/puzzle|proof of work|challenge/i)).not.toBeInTheDocument();
  });

  it('solves nothing for a shopper already in line', async () => {
    const server = installFakeServer({ room: openRoom({ requireChallenge: true }) });
    alreadyInLine();
    renderPage();
    expect(await screen.findByRole('heading', { name: 'You are in line' })).toBeInTheDocument();
    expect(server.calls('GET /api/rooms/demo/challenge')).toHaveLength(0);
  });

  it('solves and joins again when the room started asking for a proof of work after the page loaded', async () => {
    const server = installFakeServer();
    server.requireChallenge = true;
    const user = userEvent.setup();
    renderPage();

    await user.click(await screen.findByRole('button', { name: 'Join the line' }));
    expect(await screen.findByRole('heading', { name: 'You are in line' })).toBeInTheDocument();
    const joins = server.calls('POST /api/rooms/demo/tickets');
    expect(joins).toHaveLength(2);
    expect(joins[0]?.headers['x-altcha']).toBeUndefined();
    expect(joins[1]?.headers['x-altcha']).toEqual(expect.any(String));
  });

  it('sends the join with the browser’s cookies for this server only', async () => {
    installFakeServer();
    const user = userEvent.setup();
    renderPage();
    await user.click(await screen.findByRole('button', { name: 'Join the line' }));
    await screen.findByRole('heading', { name: 'You are in line' });
    const join = vi
      .mocked(fetch)
      .mock.calls.find(([url, init]) => String(url).endsWith('/tickets') && init?.method === 'POST');
    expect(join?.[1]?.credentials).toBe('same-origin');
  });

  it('says when a room does not exist', async () => {
    installFakeServer({ room: null });
    renderPage();
    expect(await screen.findByText('There is no sale here')).toBeInTheDocument();
  });

  it('offers no way in while the sale is closed', async () => {
    installFakeServer({ room: openRoom({ status: 'closed' }) });
    renderPage();
    expect(await screen.findByText('The sale is closed')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Join the line' })).not.toBeInTheDocument();
  });
});

describe('the waiting page', () => {
  it('shows the position, the people ahead, the wait and its range, live over the stream', async () => {
    const server = installFakeServer();
    alreadyInLine(20);
    renderPage();

    const card = await screen.findByRole('region', { name: 'You are in line' });
    expect(within(card).getByText('Your place in line').nextElementSibling).toHaveTextContent('12');
    expect(within(card).getByText('11 people ahead of you')).toBeInTheDocument();
    expect(within(card).getByText('Estimated wait').nextElementSibling).toHaveTextContent('45 s');
    expect(within(card).getByText('likely 30 s – 1 min')).toBeInTheDocument();
    expect(within(card).getByRole('progressbar')).toHaveAttribute('aria-valuenow', '43');
    await waitFor(() =>
      expect(within(card).getByText('Live: updates as the line moves')).toBeInTheDocument(),
    );

    // A reload keeps the place: no second join, and the stream carries the kept token.
    expect(server.calls('POST /api/rooms/demo/tickets')).toHaveLength(0);
    const stream = server.calls('GET /api/rooms/demo/tickets/me/events')[0];
    expect(stream?.headers.authorization).toBe(`Bearer ${QUEUE_TOKEN}`);

    act(() => server.push({ position: 2, etaSeconds: 8, etaRange: [4, 15] }));
    await waitFor(() =>
      expect(within(card).getByText('Your place in line').nextElementSibling).toHaveTextContent('2'),
    );
    expect(within(card).getByText('1 person ahead of you')).toBeInTheDocument();
    expect(within(card).getByText('likely 4–15 s')).toBeInTheDocument();
    // Announced to screen readers.
    await waitFor(() => expect(screen.getByText('You are number 2 in line.')).toBeInTheDocument());
    expect(screen.getByText('You are number 2 in line.')).toHaveAttribute('aria-live', 'polite');
  });

  it('counts down to the opening while the room is scheduled', async () => {
    const opensAt = new Date(Date.now() + 2 * 3600_000).toISOString();
    installFakeServer({
      room: openRoom({ status: 'scheduled', opensAt, estimatedWaitSeconds: null }),
      status: waitingStatus({ roomStatus: 'scheduled', position: null, etaSeconds: null, etaRange: null }),
    });
    alreadyInLine();
    renderPage();

    expect(await screen.findByText('The sale opens in')).toBeInTheDocument();
    const clock = await screen.findByRole('timer');
    expect(clock.textContent).toMatch(/^(2:00:00|1:59:5\d)$/);
    expect(clock).toHaveAccessibleName(/hour|minutes/);
    expect(screen.getByText(/Places are drawn at random when the sale opens/)).toBeInTheDocument();
  });

  it('says the sale is paused, and that the place is kept', async () => {
    installFakeServer({ status: waitingStatus({ roomStatus: 'paused', etaSeconds: null, etaRange: null }) });
    alreadyInLine();
    renderPage();
    expect(await screen.findByText('The sale is paused')).toBeInTheDocument();
    expect(screen.getByText(/You keep your place/)).toBeInTheDocument();
    expect(screen.getByText('on hold while the sale is paused')).toBeInTheDocument();
  });

  it('says the sale is closed, while still in line', async () => {
    installFakeServer({
      room: openRoom({ status: 'closed' }),
      status: waitingStatus({ roomStatus: 'closed', etaSeconds: null, etaRange: null }),
    });
    alreadyInLine();
    renderPage();
    expect(await screen.findByText('The sale is closed')).toBeInTheDocument();
    expect(screen.getByText(/Nobody else will be let in/)).toBeInTheDocument();
  });

  it('falls back to polling at pollAfterMs when the stream cannot be had, and says so', async () => {
    const server = installFakeServer({ status: waitingStatus({ position: 7, pollAfterMs: 2000 }) });
    server.events = 'down';
    alreadyInLine();
    renderPage();

    expect(await screen.findByText('Updated every 2 s')).toBeInTheDocument();
    expect(screen.getByText('Your place in line').nextElementSibling).toHaveTextContent('7');
    expect(server.calls('GET /api/rooms/demo/tickets/me')[0]?.headers.authorization).toBe(
      `Bearer ${QUEUE_TOKEN}`,
    );

    // The next poll finds no server either: the place is kept, and the page says it is retrying.
    server.poll = 'down';
    expect(
      await screen.findByText(/Connection lost: trying again/, {}, { timeout: 4000 }),
    ).toBeInTheDocument();
    expect(screen.getByText('Your place in line').nextElementSibling).toHaveTextContent('7');
  });

  it('forgets a place the server no longer knows, and offers to join again', async () => {
    const server = installFakeServer();
    server.events = {
      status: 401,
      body: { error: { code: 'INVALID_TOKEN', message: 'The queue token is not valid' } },
    };
    alreadyInLine();
    renderPage();
    expect(await screen.findByText('Your place could not be found')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Join the line' })).toBeInTheDocument();
    expect(window.localStorage.getItem(TICKET_KEY)).toBeNull();
  });

  it('leaves the line after a confirmation', async () => {
    const server = installFakeServer();
    const user = userEvent.setup();
    alreadyInLine();
    renderPage();
    await user.click(await screen.findByRole('button', { name: 'Leave the line' }));
    await user.click(screen.getByRole('button', { name: 'Leave' }));
    expect(await screen.findByRole('button', { name: 'Join the line' })).toBeInTheDocument();
    expect(server.calls('DELETE /api/rooms/demo/tickets/me')).toHaveLength(1);
    expect(window.localStorage.getItem(TICKET_KEY)).toBeNull();
  });
});

describe('the turn to order', () => {
  async function admitted(server: FakeServer) {
    alreadyInLine();
    renderPage();
    act(() => undefined);
    await screen.findByRole('heading', { name: 'It is your turn' });
    await screen.findByRole('heading', { name: 'Tour poster' });
    return server;
  }

  it('counts down to the end of the admission and shows each product with what is left', async () => {
    await admitted(installFakeServer({ status: admittedStatus() }));
    expect(screen.getByRole('heading', { name: 'It is your turn' })).toHaveFocus();
    const clock = screen.getByRole('timer');
    expect(clock.textContent).toMatch(/^(10:00|9:5\d)$/);
    expect(screen.getByText('5 left')).toBeInTheDocument();
    expect(screen.getByText('at most 2 per order')).toBeInTheDocument();
  });

  it('keeps quantities within maxPerOrder and totals them as they change', async () => {
    await admitted(installFakeServer({ status: admittedStatus() }));
    const user = userEvent.setup();
    const more = screen.getByRole('button', { name: 'One more Tour poster' });
    await user.click(more);
    await user.click(more);
    expect(more).toBeDisabled();
    expect(screen.getByLabelText('Quantity of Tour poster')).toHaveValue(2);
    await user.click(screen.getByRole('button', { name: 'One more Vinyl record' }));
    expect(screen.getByText('Total').nextElementSibling).toHaveTextContent('€80.00');
  });

  it("checks the customer's details as typed, and shows the server's refusal beside its field", async () => {
    const server = await admitted(installFakeServer({ status: admittedStatus() }));
    const user = userEvent.setup();
    server.orderReply = () => ({
      status: 400,
      body: { error: { code: 'INVALID_REQUEST', message: 'body/customer/email must match format "email"' } },
    });

    await user.type(screen.getByLabelText('E-mail'), 'ada@');
    await user.tab();
    expect(screen.getByLabelText('E-mail')).toHaveAccessibleDescription(
      'Enter an e-mail address like name@example.com.',
    );
    await user.type(screen.getByLabelText('E-mail'), 'example.org');
    expect(screen.getByLabelText('E-mail')).not.toHaveAttribute('aria-invalid');

    await user.click(screen.getByRole('button', { name: 'One more Tour poster' }));
    await fillCustomer(user, '');
    await user.click(screen.getByRole('button', { name: 'Place order' }));
    await waitFor(() =>
      expect(screen.getByLabelText('E-mail')).toHaveAccessibleDescription(
        'The shop refused this e-mail: must match format "email".',
      ),
    );
    expect(screen.getByLabelText('E-mail')).toHaveAttribute('aria-invalid', 'true');
  });

  it('places the order and shows the confirmation with its id and what was bought', async () => {
    const server = await admitted(installFakeServer({ status: admittedStatus() }));
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'One more Tour poster' }));
    await fillCustomer(user);
    await user.click(screen.getByRole('button', { name: 'Place order' }));

    expect(await screen.findByRole('heading', { name: 'Order confirmed' })).toBeInTheDocument();
    expect(screen.getByText('ord_abc123')).toBeInTheDocument();
    const lines = screen.getByRole('table', { name: 'What you bought' });
    expect(within(lines).getByText('Tour poster')).toBeInTheDocument();
    expect(within(lines).getAllByText('€25.00')).toHaveLength(2);

    const [sent] = server.calls('POST /api/orders');
    expect(sent?.headers.authorization).toBe('Bearer adm.jwt.token');
    expect(sent?.headers['idempotency-key']).toMatch(/^[0-9a-f]{32}$/);
    expect(sent?.body).toEqual({
      customer: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.org', phone: '+447700900123' },
      items: [{ productId: 'tour-poster', quantity: 1 }],
    });
  });

  it('says what sold out, sells nothing, and shows what is left', async () => {
    const server = await admitted(installFakeServer({ status: admittedStatus() }));
    const user = userEvent.setup();
    server.orderReply = () => {
      server.products = server.products.map((p) => (p.id === 'tour-poster' ? { ...p, available: 1 } : p));
      return {
        status: 409,
        body: { error: { code: 'SOLD_OUT', message: "Not enough left of 'tour-poster'; nothing was sold" } },
      };
    };
    await user.click(screen.getByRole('button', { name: 'One more Tour poster' }));
    await user.click(screen.getByRole('button', { name: 'One more Tour poster' }));
    await fillCustomer(user);
    await user.click(screen.getByRole('button', { name: 'Place order' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Not enough left');
    expect(alert).toHaveTextContent('not enough left of Tour poster. Nothing was ordered.');
    expect(await screen.findByText('1 left')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByLabelText('Quantity of Tour poster')).toHaveValue(1));
  });

  it('says so when everything has sold out', async () => {
    const server = installFakeServer({ status: admittedStatus() });
    server.products = server.products.map((p) => ({ ...p, available: 0 }));
    alreadyInLine();
    renderPage();
    expect(await screen.findByText('Sold out')).toBeInTheDocument();
    expect(screen.getByText(/Nothing was ordered and nothing was charged/)).toBeInTheDocument();
  });

  it('moves on from the form when the admission is pushed as expired', async () => {
    const server = await admitted(installFakeServer({ status: admittedStatus() }));
    act(() =>
      server.push({
        state: 'expired',
        expiryReason: 'admission-expired',
        admissionToken: undefined,
        admissionExpiresAt: undefined,
      }),
    );
    expect(await screen.findByRole('heading', { name: 'Your time to order ran out' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Join the line again' })).toBeInTheDocument();
  });
});

describe('the end of a ticket', () => {
  it('explains a place lost to silence, with the way back', async () => {
    installFakeServer({
      status: waitingStatus({
        state: 'expired',
        expiryReason: 'abandoned',
        position: null,
        etaSeconds: null,
        etaRange: null,
      }),
    });
    alreadyInLine();
    renderPage();
    expect(await screen.findByRole('heading', { name: 'You lost your place in line' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Join the line again' })).toBeInTheDocument();
  });

  it('shows the confirmation again after a reload once the order is placed', async () => {
    installFakeServer({
      status: waitingStatus({ state: 'completed', position: null, etaSeconds: null, etaRange: null }),
    });
    alreadyInLine();
    window.localStorage.setItem(
      'waitroom:order:demo',
      JSON.stringify({
        id: 'ord_kept',
        createdAt: new Date().toISOString(),
        totalCents: 3000,
        currency: 'EUR',
        lines: [{ productId: 'vinyl', name: 'Vinyl record', quantity: 1, unitPriceCents: 3000 }],
      }),
    );
    renderPage();
    expect(await screen.findByRole('heading', { name: 'Order confirmed' })).toBeInTheDocument();
    expect(screen.getByText('ord_kept')).toBeInTheDocument();
    expect(screen.getByText('Vinyl record')).toBeInTheDocument();
  });
});
