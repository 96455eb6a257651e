import type { RoomSettings } from '../../../shared/api/types';
import { formatWhen } from '../../../shared/format/date';
import { roomState } from '../room-state';
import { RoomStateBadge } from './room-state-badge';

export interface RoomsTableProps {
  rooms: readonly RoomSettings[];
  /** The link to a room's own page. */
  renderLink(room: RoomSettings): React.ReactNode;
}

/** Every room with its state and its main settings. */
export function RoomsTable({ rooms, renderLink }: RoomsTableProps) {
  if (rooms.length === 0) return <p className="muted">No rooms yet: create the first one below.</p>;
  return (
    <div className="table-scroll">
      <table>
        <thead>
          <tr>
            <th scope="col">Room</th>
            <th scope="col">State</th>
            <th scope="col" className="number">
              Rate / min
            </th>
            <th scope="col" className="number">
              Cap
            </th>
            <th scope="col">Mode</th>
            <th scope="col">Opens</th>
          </tr>
        </thead>
        <tbody>
          {rooms.map((room) => (
            <tr key={room.id}>
              <td>
                {renderLink(room)}
                <div className="muted small">{room.id}</div>
              </td>
              <td>
                <RoomStateBadge state={roomState(room)} />
              </td>
              <td className="number">{room.admitRatePerMinute.toLocaleString('en')}</td>
              <td className="number">
                {room.maxActive === null ? '—' : room.maxActive.toLocaleString('en')}
              </td>
              <td>{room.queueMode === 'fifo' ? 'FIFO' : 'Lottery'}</td>
              <td>{room.opensAt ? formatWhen(room.opensAt) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
