import { useEffect, useRef } from 'react';
import { formatWhen } from '../../../shared/format/date';
import { formatMoney } from '../../../shared/format/money';
import type { ConfirmedOrder } from '../confirmed-order';

/** The end of the road: the order's number and what was bought. */
export function OrderConfirmation({ order, onDone }: { order: ConfirmedOrder; onDone?(): void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="card confirmation" aria-labelledby="confirmation-title">
      <h2 id="confirmation-title" className="card__title" ref={heading} tabIndex={-1}>
        Order confirmed
      </h2>
      <p>
        Your order number is <strong className="order-id">{order.id}</strong>. Keep it: the shop asks for it
        if you get in touch.
      </p>
      <table className="lines">
        <caption className="visually-hidden">What you bought</caption>
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col" className="number">
              Qty
            </th>
            <th scope="col" className="number">
              Price
            </th>
          </tr>
        </thead>
        <tbody>
          {order.lines.map((line) => (
            <tr key={line.productId}>
              <td>{line.name}</td>
              <td className="number">{line.quantity}</td>
              <td className="number">{formatMoney(line.unitPriceCents * line.quantity, order.currency)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={2}>
              Total
            </th>
            <td className="number">
              <strong>{formatMoney(order.totalCents, order.currency)}</strong>
            </td>
          </tr>
        </tfoot>
      </table>
      <p className="muted small">Placed {formatWhen(order.createdAt)}.</p>
      {onDone ? (
        <button type="button" className="button button--quiet" onClick={onDone}>
          Done
        </button>
      ) : null}
    </section>
  );
}
