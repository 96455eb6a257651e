import { callApi } from '../../../shared/api/http';
import type { AdminProduct, ProductInput } from '../../../shared/api/types';

/** Sets a room's whole catalogue and its stock; products left out are withdrawn from sale. */
export async function putProducts(
  token: string,
  roomId: string,
  products: ProductInput[],
): Promise<AdminProduct[]> {
  const res = await callApi('put', '/api/admin/rooms/{id}/products', {
    token,
    params: { id: roomId },
    body: { products },
  });
  return res.products;
}
