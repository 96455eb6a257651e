import { callApi } from '../../../shared/api/http';
import type { RoomSettings } from '../../../shared/api/types';

export async function listRooms(token: string, signal?: AbortSignal): Promise<RoomSettings[]> {
  const { rooms } = await callApi('get', '/api/admin/rooms', { token, signal });
  return rooms;
}
