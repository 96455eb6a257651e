import type { Product } from '../../../shared/api/types';
import { type Polled, usePolled } from '../../../shared/hooks/use-polled';
import { getProducts } from '../api/get-products';

/** A room's products, refreshed every `refreshMs` so that "left" stays true while a shopper chooses. */
export function useProducts(roomId: string, refreshMs: number | null = 15_000): Polled<Product[]> {
  return usePolled(`products:${roomId}`, (signal) => getProducts(roomId, signal), refreshMs);
}
