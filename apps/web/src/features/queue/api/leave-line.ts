import { callApi } from '../../../shared/api/http';

/** Gives the place up: the ticket leaves the line (or gives up its admission). */
export async function leaveLine(roomId: string, queueToken: string): Promise<void> {
  await callApi('delete', '/api/rooms/{roomId}/tickets/me', { params: { roomId }, token: queueToken });
}
