import { ApiError, callApi } from '../../../shared/api/http';

/** Whether the server takes `token` as the operator's: true, false, or a thrown failure to reach it. */
export async function checkAdminToken(token: string): Promise<boolean> {
  try {
    await callApi('get', '/api/admin/rooms', { token });
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return false;
    throw error;
  }
}
