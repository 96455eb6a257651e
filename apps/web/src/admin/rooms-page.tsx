import { useEffect, useState } from 'react';
import { createRoom } from '../features/admin-rooms/api/create-room';
import { listRooms } from '../features/admin-rooms/api/list-rooms';
import { RoomSettingsForm } from '../features/admin-rooms/components/room-settings-form';
import { RoomsTable } from '../features/admin-rooms/components/rooms-table';
import { useAdminSession, useSignOutWhenRefused } from '../shared/admin/admin-session';
import { usePolled } from '../shared/hooks/use-polled';
import { Notice } from '../shared/ui/notice';
import { Link, navigate } from './router';

/** Every room and its state, and a new room. */
export function RoomsPage() {
  const { token } = useAdminSession();
  const rooms = usePolled('rooms', (signal) => listRooms(token, signal), 5000);
  const [creating, setCreating] = useState(false);
  useSignOutWhenRefused(rooms.error);
  useEffect(() => {
    document.title = 'Rooms · Waitroom operator';
  }, []);

  return (
    <>
      <section className="card" aria-labelledby="rooms-title">
        <div className="card__head">
          <h1 id="rooms-title" className="card__title">
            Rooms
          </h1>
          <button
            type="button"
            className="button button--small"
            onClick={() => setCreating((v) => !v)}
            aria-expanded={creating}
          >
            {creating ? 'Cancel' : 'New room'}
          </button>
        </div>
        {rooms.error && rooms.error.status !== 401 ? (
          <Notice tone="error">{rooms.error.message}</Notice>
        ) : null}
        {rooms.data ? (
          <RoomsTable
            rooms={rooms.data}
            renderLink={(room) => (
              <Link href={`/admin/rooms/${encodeURIComponent(room.id)}`}>{room.name}</Link>
            )}
          />
        ) : (
          <p className="muted">Loading…</p>
        )}
      </section>
      {creating ? (
        <section className="card" aria-labelledby="new-room-title">
          <h2 id="new-room-title" className="card__title">
            New room
          </h2>
          <RoomSettingsForm
            submitLabel="Create the room"
            onSubmit={async (settings) => {
              const room = await createRoom(token, settings);
              navigate(`/admin/rooms/${encodeURIComponent(room.id)}`);
            }}
          />
        </section>
      ) : null}
    </>
  );
}
