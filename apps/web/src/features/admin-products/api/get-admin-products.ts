import { callApi } from '../../../shared/api/http';
import type { AdminProduct } from '../../../shared/api/types';

/** A room's products with units left and sold. */
export async function getAdminProducts(
  token: string,
  roomId: string,
  signal?: AbortSignal,
): Promise<AdminProduct[]> {
  const { products } = await callApi('get', '/api/admin/rooms/{id}/products', {
    token,
    params: { id: roomId },
    signal,
  });
  return products;
}
