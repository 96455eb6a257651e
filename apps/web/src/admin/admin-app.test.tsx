import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, type FakeAdminServer, installFakeAdminServer } from '../shared/test/fake-admin-server';
import { AdminApp } from './admin-app';
import { navigate } from './router';

const TOKEN_KEY = 'waitroom:admin-token';

function signedIn() {
  window.sessionStorage.setItem(TOKEN_KEY, JSON.stringify(ADMIN_TOKEN));
}

let server: FakeAdminServer;
beforeEach(() => {
  server = installFakeAdminServer();
  window.history.replaceState(null, '', '/admin');
});

describe("the operator's sign-in", () => {
  it('refuses a wrong token, and keeps a right one for this tab only', async () => {
    const user = userEvent.setup();
    render(<AdminApp />);
    await user.type(screen.getByLabelText('Operator token'), 'wrong-token');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('The server refused this token.')).toBeInTheDocument();

    await user.clear(screen.getByLabelText('Operator token'));
    await user.type(screen.getByLabelText('Operator token'), ADMIN_TOKEN);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { name: 'Rooms' })).toBeInTheDocument();
    expect(window.sessionStorage.getItem(TOKEN_KEY)).toBe(JSON.stringify(ADMIN_TOKEN));
    expect(window.localStorage.length).toBe(0);
  });

  it('signs out when the server stops taking the token', async () => {
    window.sessionStorage.setItem(TOKEN_KEY, JSON.stringify('a-token-since-changed'));
    render(<AdminApp />);
    expect(await screen.findByText('The operator token was refused. Sign in again.')).toBeInTheDocument();
    expect(window.sessionStorage.getItem(TOKEN_KEY)).toBeNull();
  });
});

describe('the rooms', () => {
  it('lists each room with its state, and creates a room', async () => {
    signedIn();
    const user = userEvent.setup();
    render(<AdminApp />);
    const table = await screen.findByRole('table');
    const row = within(table).getByRole('row', { name: /Demo sale/ });
    expect(within(row).getByText('Open')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'New room' }));
    await user.type(screen.getByLabelText('Room id'), 'Bad id');
    await user.type(screen.getByLabelText('Name'), 'Spring sale');
    await user.click(screen.getByRole('button', { name: 'Create the room' }));
    expect(screen.getByLabelText('Room id')).toHaveAccessibleDescription(/Lower-case letters/);
    expect(server.calls('POST /api/admin/rooms')).toHaveLength(0);

    await user.clear(screen.getByLabelText('Room id'));
    await user.type(screen.getByLabelText('Room id'), 'spring-sale');
    await user.clear(screen.getByLabelText('Admissions per minute'));
    await user.type(screen.getByLabelText('Admissions per minute'), '120');
    const challenge = screen.getByLabelText('Ask each join for a proof of work');
    expect(challenge).not.toBeChecked();
    await user.click(challenge);
    await user.click(screen.getByRole('button', { name: 'Create the room' }));
    await waitFor(() => expect(window.location.pathname).toBe('/admin/rooms/spring-sale'));
    expect(server.calls('POST /api/admin/rooms')[0]?.body).toMatchObject({
      id: 'spring-sale',
      name: 'Spring sale',
      admitRatePerMinute: 120,
      maxActive: null,
      queueMode: 'fifo',
      status: 'open',
      requireChallenge: true,
    });
  });
});

describe("a room's page", () => {
  async function openRoom() {
    signedIn();
    window.history.replaceState(null, '', '/admin/rooms/demo');
    render(<AdminApp />);
    await screen.findByRole('heading', { name: 'Demo sale' });
  }

  it('shows the live figures and charts, updated by themselves', async () => {
    await openRoom();
    const live = screen.getByRole('region', { name: 'Live' });
    expect(
      await within(live).findByRole('img', { name: /^Waiting\. Now: Waiting: 120/ }),
    ).toBeInTheDocument();
    expect(
      within(live).getByRole('img', { name: /Flow per minute\. Now: In: 42\.5; Out: 30/ }),
    ).toBeInTheDocument();
    expect(within(live).getByText('12% / 35%')).toBeInTheDocument();
    server.stats = { ...server.stats, waiting: 95 };
    await waitFor(
      () =>
        expect(within(live).getByRole('img', { name: /^Waiting\. Now: Waiting: 95/ })).toBeInTheDocument(),
      {
        timeout: 4000,
      },
    );
  });

  it('pauses and resumes the sale, and admits some now', async () => {
    await openRoom();
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Pause' }));
    expect(await screen.findByText('Paused: nobody is let in by the rate.')).toBeInTheDocument();
    expect(server.calls('PATCH /api/admin/rooms/demo')[0]?.body).toEqual({ status: 'paused' });
    expect(await screen.findByRole('button', { name: 'Resume' })).toBeInTheDocument();

    const admit = screen.getByLabelText('Admit now');
    await user.clear(admit);
    await user.type(admit, '5');
    await user.click(screen.getByRole('button', { name: 'Admit' }));
    expect(await screen.findByText('Admitted 5.')).toBeInTheDocument();
    expect(server.calls('POST /api/admin/rooms/demo/admit')[0]?.body).toEqual({ count: 5 });
  });

  it('changes only the settings that were edited', async () => {
    await openRoom();
    const user = userEvent.setup();
    const settings = screen.getByRole('region', { name: 'Settings' });
    await user.type(within(settings).getByLabelText('Most active at once'), '50');
    await user.click(within(settings).getByRole('button', { name: 'Save settings' }));
    expect(await within(settings).findByText('Saved')).toBeInTheDocument();
    expect(server.calls('PATCH /api/admin/rooms/demo')[0]?.body).toEqual({ maxActive: 50 });
  });

  it('edits the products and their stock, saved as a whole', async () => {
    await openRoom();
    const user = userEvent.setup();
    const products = screen.getByRole('region', { name: 'Products and stock' });
    const stock = await within(products).findByLabelText('For sale of row 1');
    expect(stock).toHaveValue('80');
    await user.clear(stock);
    await user.type(stock, '60');
    await user.click(within(products).getByRole('button', { name: 'Save products' }));
    expect(await within(products).findByText('Saved 1 product.')).toBeInTheDocument();
    expect(server.calls('PUT /api/admin/rooms/demo/products')[0]?.body).toEqual({
      products: [
        {
          id: 'tour-poster',
          name: 'Tour poster',
          description: null,
          priceCents: 2500,
          currency: 'EUR',
          stock: 60,
          maxPerOrder: 3,
        },
      ],
    });
  });

  it("pages through the room's orders by the API's cursor", async () => {
    await openRoom();
    const user = userEvent.setup();
    const orders = screen.getByRole('region', { name: 'Orders' });
    expect(await within(orders).findByText('ord_25')).toBeInTheDocument();
    expect(within(orders).getAllByRole('row')).toHaveLength(21);
    await user.click(within(orders).getByRole('button', { name: 'Older' }));
    expect(await within(orders).findByText('ord_5')).toBeInTheDocument();
    expect(within(orders).getByText('Page 2')).toBeInTheDocument();
    expect(within(orders).getByRole('button', { name: 'Older' })).toBeDisabled();
    const last = server.calls('GET /api/admin/orders').at(-1);
    expect(last?.query.get('cursor')).toBe('20');
    expect(last?.query.get('roomId')).toBe('demo');
    await user.click(within(orders).getByRole('button', { name: 'Newer' }));
    expect(await within(orders).findByText('ord_25')).toBeInTheDocument();
  });

  it('goes back to the rooms by the link, without a reload', async () => {
    await openRoom();
    act(() => navigate('/admin'));
    expect(await screen.findByRole('heading', { name: 'Rooms' })).toBeInTheDocument();
  });
});
