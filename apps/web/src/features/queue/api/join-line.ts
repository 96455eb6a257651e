import { callApi } from '../../../shared/api/http';
import type { JoinedTicket } from '../../../shared/api/types';

/** Takes a place in the room's line: its status and the queue token that proves it. */
export function joinLine(roomId: string): Promise<JoinedTicket> {
  return callApi('post', '/api/rooms/{roomId}/tickets', { params: { roomId } });
}
