import { callApi } from '../../../shared/api/http';
import type { TicketStatus } from '../../../shared/api/types';

/** The ticket's status, read once (the fallback when the live stream cannot be had). */
export function getTicket(roomId: string, queueToken: string, signal?: AbortSignal): Promise<TicketStatus> {
  return callApi('get', '/api/rooms/{roomId}/tickets/me', {
    params: { roomId },
    token: queueToken,
    signal,
  });
}
