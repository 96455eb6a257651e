import type { RoomSettings } from '../../shared/api/types';

export type RoomState = 'scheduled' | 'open' | 'paused' | 'closed';

/** The state a shopper sees: an open room whose opening time is still ahead is "scheduled". */
export function roomState(room: RoomSettings, now: number = Date.now()): RoomState {
  if (room.status === 'open' && room.opensAt !== null && new Date(room.opensAt).getTime() > now)
    return 'scheduled';
  return room.status;
}
