import type { Order, Product } from '../../shared/api/types';
import { useStoredValue } from '../../shared/hooks/use-stored-value';

/** What the confirmation shows, kept in this browser so that a reload still shows it (no customer details). */
export interface ConfirmedOrder {
  id: string;
  createdAt: string;
  totalCents: number;
  currency: string;
  lines: { productId: string; name: string; quantity: number; unitPriceCents: number }[];
}

export function confirmedOrder(order: Order, products: readonly Product[]): ConfirmedOrder {
  const names = new Map(products.map((p) => [p.id, p.name]));
  return {
    id: order.id,
    createdAt: order.createdAt,
    totalCents: order.totalCents,
    currency: order.currency,
    lines: order.items.map((item) => ({
      productId: item.productId,
      name: names.get(item.productId) ?? item.productId,
      quantity: item.quantity,
      unitPriceCents: item.unitPriceCents,
    })),
  };
}

/** The order this browser placed in `roomId`, if any. */
export function useConfirmedOrder(
  roomId: string,
): [ConfirmedOrder | null, (order: ConfirmedOrder | null) => void] {
  return useStoredValue<ConfirmedOrder>('local', `waitroom:order:${roomId}`);
}
