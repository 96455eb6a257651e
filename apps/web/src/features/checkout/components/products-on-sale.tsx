import { formatMoney } from '../../../shared/format/money';
import { useProducts } from '../hooks/use-products';

/** What a sale offers, for the landing page: name, price, units left. */
export function ProductsOnSale({ roomId }: { roomId: string }) {
  const { data } = useProducts(roomId, 30_000);
  if (!data || data.length === 0) return null;
  return (
    <section className="card" aria-labelledby="on-sale-title">
      <h2 id="on-sale-title" className="card__title">
        On sale
      </h2>
      <ul className="on-sale">
        {data.map((p) => (
          <li key={p.id} className="on-sale__item">
            <span className="on-sale__name">{p.name}</span>
            <span className="on-sale__price number">{formatMoney(p.priceCents, p.currency)}</span>
            <span className="on-sale__left number">
              {p.available === 0 ? 'sold out' : `${p.available} left`}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
