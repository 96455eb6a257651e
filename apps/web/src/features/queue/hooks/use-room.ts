import type { PublicRoom } from '../../../shared/api/types';
import { type Polled, usePolled } from '../../../shared/hooks/use-polled';
import { getRoom } from '../api/get-room';

/** A room's public figures, refreshed every `refreshMs`. */
export function useRoom(roomId: string, refreshMs = 10_000): Polled<PublicRoom> {
  return usePolled(`room:${roomId}`, (signal) => getRoom(roomId, signal), refreshMs);
}
