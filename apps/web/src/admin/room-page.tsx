import { useEffect } from 'react';
import { OrdersTable } from '../features/admin-orders/components/orders-table';
import { ProductsEditor } from '../features/admin-products/components/products-editor';
import { getRoomSettings } from '../features/admin-rooms/api/get-room-settings';
import { updateRoom } from '../features/admin-rooms/api/update-room';
import { RoomControls } from '../features/admin-rooms/components/room-controls';
import { RoomSettingsForm } from '../features/admin-rooms/components/room-settings-form';
import { RoomStateBadge } from '../features/admin-rooms/components/room-state-badge';
import { roomState } from '../features/admin-rooms/room-state';
import { changesFrom } from '../features/admin-rooms/settings-draft';
import { StatsPanel } from '../features/admin-stats/components/stats-panel';
import { useStats } from '../features/admin-stats/hooks/use-stats';
import { useAdminSession, useSignOutWhenRefused } from '../shared/admin/admin-session';
import { usePolled } from '../shared/hooks/use-polled';
import { Notice } from '../shared/ui/notice';
import { Link } from './router';

/** One room, live: its state and levers, its figures and charts, settings, products and orders. */
export function RoomPage({ roomId }: { roomId: string }) {
  const { token } = useAdminSession();
  const room = usePolled(`admin-room:${roomId}`, (signal) => getRoomSettings(token, roomId, signal), 10_000);
  const stats = useStats(token, roomId);
  useSignOutWhenRefused(room.error ?? stats.error);
  useEffect(() => {
    document.title = `${room.data?.name ?? roomId} · Waitroom operator`;
  }, [room.data, roomId]);

  if (!room.data) {
    return room.error ? (
      <Notice
        tone="error"
        title={room.error.status === 404 ? 'No such room' : 'The room could not be loaded'}
      >
        <p>{room.error.message}</p>
        <p>
          <Link href="/admin">Back to the rooms</Link>
        </p>
      </Notice>
    ) : (
      <p className="muted">Loading…</p>
    );
  }
  const settings = room.data;

  return (
    <>
      <nav aria-label="Breadcrumb" className="crumbs">
        <Link href="/admin">Rooms</Link> / <span>{settings.id}</span>
      </nav>
      <section className="card" aria-labelledby="room-title">
        <div className="card__head">
          <h1 id="room-title" className="card__title">
            {settings.name}
          </h1>
          <RoomStateBadge state={roomState(settings)} />
        </div>
        <p className="muted small">
          Shoppers' page:{' '}
          <a href={`/rooms/${encodeURIComponent(settings.id)}`} target="_blank" rel="noreferrer">
            /rooms/{settings.id}
          </a>
        </p>
        {settings.lottery ? (
          <p className="muted small">
            Lottery commitment (SHA-256 of the secret seed, public):{' '}
            <code>{settings.lottery.commitment}</code>
            {settings.lottery.drawn ? (
              <>
                {' '}
                · drawn with the seed <code>{settings.lottery.seed}</code>
              </>
            ) : null}
          </p>
        ) : null}
        <RoomControls token={token} room={settings} onChanged={room.reload} />
      </section>

      <section className="card" aria-labelledby="live-title">
        <h2 id="live-title" className="card__title">
          Live
        </h2>
        {stats.error && stats.error.status !== 401 ? (
          <Notice tone="error">{stats.error.message}</Notice>
        ) : null}
        <StatsPanel series={stats.series} />
      </section>

      <section className="card" aria-labelledby="settings-title">
        <h2 id="settings-title" className="card__title">
          Settings
        </h2>
        <RoomSettingsForm
          room={settings}
          submitLabel="Save settings"
          onSubmit={async (next, base) => {
            // The status is the controls' own: the form never sends it.
            const { status: _status, ...patch } = changesFrom(base ?? settings, next);
            if (Object.keys(patch).length === 0) return;
            await updateRoom(token, roomId, patch);
            room.reload();
          }}
        />
      </section>

      <section className="card" aria-labelledby="products-title">
        <h2 id="products-title" className="card__title">
          Products and stock
        </h2>
        <ProductsEditor token={token} roomId={roomId} />
      </section>

      <section className="card" aria-labelledby="orders-title">
        <h2 id="orders-title" className="card__title">
          Orders
        </h2>
        <OrdersTable token={token} roomId={roomId} />
      </section>
    </>
  );
}
