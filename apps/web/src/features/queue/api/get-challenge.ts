import { callApi } from '../../../shared/api/http';
import type { Challenge } from '../../../shared/api/types';

/** A fresh proof-of-work challenge for one join to the room. */
export function getChallenge(roomId: string, signal?: AbortSignal): Promise<Challenge> {
  return callApi('get', '/api/rooms/{roomId}/challenge', { params: { roomId }, signal });
}
