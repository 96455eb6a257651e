import { callApi } from '../../../shared/api/http';
import type { RoomSettings } from '../../../shared/api/types';

export function getRoomSettings(token: string, roomId: string, signal?: AbortSignal): Promise<RoomSettings> {
  return callApi('get', '/api/admin/rooms/{id}', { token, params: { id: roomId }, signal });
}
