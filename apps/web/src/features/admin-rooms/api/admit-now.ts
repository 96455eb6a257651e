import { callApi } from '../../../shared/api/http';

/** Admits the next `count` waiting tickets now, whatever the rate; the number admitted. */
export async function admitNow(token: string, roomId: string, count: number): Promise<number> {
  const { admitted } = await callApi('post', '/api/admin/rooms/{id}/admit', {
    token,
    params: { id: roomId },
    body: { count },
  });
  return admitted;
}
