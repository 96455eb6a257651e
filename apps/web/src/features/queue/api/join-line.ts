import { callApi } from '../../../shared/api/http';
import type { JoinedTicket } from '../../../shared/api/types';

/**
 * Takes a place in the room's line: its status and the queue token that proves it. The
 * browser sends back the server's join cookie, so joining again (another tab, a reload that
 * lost the stored ticket) gets the same place. `altcha` is a solved challenge, for a room
 * that asks for one.
 */
export function joinLine(roomId: string, altcha?: string): Promise<JoinedTicket> {
  return callApi('post', '/api/rooms/{roomId}/tickets', {
    params: { roomId },
    ...(altcha ? { headers: { 'x-altcha': altcha } } : {}),
  });
}
