import { callApi } from '../../../shared/api/http';
import type { NewRoom, RoomSettings } from '../../../shared/api/types';

export function createRoom(token: string, room: NewRoom): Promise<RoomSettings> {
  return callApi('post', '/api/admin/rooms', { token, body: room });
}
