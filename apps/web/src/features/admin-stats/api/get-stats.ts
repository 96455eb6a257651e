import { callApi } from '../../../shared/api/http';
import type { RoomStats } from '../../../shared/api/types';

export function getStats(token: string, roomId: string, signal?: AbortSignal): Promise<RoomStats> {
  return callApi('get', '/api/admin/rooms/{id}/stats', { token, params: { id: roomId }, signal });
}
