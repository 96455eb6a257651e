import { callApi } from '../../../shared/api/http';
import type { PublicRoom } from '../../../shared/api/types';

/** A room's state and the wait a shopper joining now would have. */
export function getRoom(roomId: string, signal?: AbortSignal): Promise<PublicRoom> {
  return callApi('get', '/api/rooms/{roomId}', { params: { roomId }, signal });
}
