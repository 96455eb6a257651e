import { callApi } from '../../../shared/api/http';
import type { RoomPatch, RoomSettings } from '../../../shared/api/types';

/** Changes any subset of a room's settings (its status too: pause, resume, close). */
export function updateRoom(token: string, roomId: string, patch: RoomPatch): Promise<RoomSettings> {
  return callApi('patch', '/api/admin/rooms/{id}', { token, params: { id: roomId }, body: patch });
}
