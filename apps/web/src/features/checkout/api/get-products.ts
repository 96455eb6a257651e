import { callApi } from '../../../shared/api/http';
import type { Product } from '../../../shared/api/types';

/** What a room sells, with the units still left. */
export async function getProducts(roomId: string, signal?: AbortSignal): Promise<Product[]> {
  const { products } = await callApi('get', '/api/rooms/{roomId}/products', { params: { roomId }, signal });
  return products;
}
