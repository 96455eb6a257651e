import { useState } from 'react';
import { formatWhen } from '../../../shared/format/date';
import { formatMoney } from '../../../shared/format/money';
import { usePolled } from '../../../shared/hooks/use-polled';
import { Notice } from '../../../shared/ui/notice';
import { listOrders } from '../api/list-orders';

const PAGE_SIZE = 20;

/** A room's orders, newest first, a page at a time (the API's cursor), the first page kept fresh. */
export function OrdersTable({ token, roomId }: { token: string; roomId: string }) {
  // The cursors of the pages opened so far: [null] is the first page.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors.at(-1) ?? null;
  const page = usePolled(
    `orders:${roomId}:${cursor ?? ''}`,
    (signal) => listOrders(token, roomId, PAGE_SIZE, cursor, signal),
    cursor === null ? 10_000 : null,
  );
  const orders = page.data?.orders ?? [];
  const pageNumber = cursors.length;

  return (
    <div className="orders">
      {page.error ? <Notice tone="error">{page.error.message}</Notice> : null}
      {page.data && orders.length === 0 ? (
        <p className="muted">{pageNumber === 1 ? 'No orders yet.' : 'No more orders.'}</p>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Placed</th>
                <th scope="col">Order</th>
                <th scope="col">Customer</th>
                <th scope="col">Items</th>
                <th scope="col" className="number">
                  Total
                </th>
              </tr>
            </thead>
            <tbody>
              {orders.map((o) => (
                <tr key={o.id}>
                  <td className="nowrap">{formatWhen(o.createdAt)}</td>
                  <td>
                    <code>{o.id}</code>
                  </td>
                  <td>
                    {o.customer ? (
                      <>
                        {o.customer.firstName} {o.customer.lastName}
                        <div className="muted small">{o.customer.email}</div>
                      </>
                    ) : (
                      <span className="muted">erased</span>
                    )}
                  </td>
                  <td>
                    {o.items.map((item) => (
                      <div key={item.productId}>
                        {item.quantity} × {item.productId}
                      </div>
                    ))}
                  </td>
                  <td className="number">{formatMoney(o.totalCents, o.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav className="actions pager" aria-label="Pages of orders">
        <button
          type="button"
          className="button button--quiet button--small"
          disabled={pageNumber === 1}
          onClick={() => setCursors(cursors.slice(0, -1))}
        >
          Newer
        </button>
        <span className="muted small">Page {pageNumber}</span>
        <button
          type="button"
          className="button button--quiet button--small"
          disabled={!page.data?.nextCursor}
          onClick={() => {
            const next = page.data?.nextCursor;
            if (next) setCursors([...cursors, next]);
          }}
        >
          Older
        </button>
      </nav>
    </div>
  );
}
