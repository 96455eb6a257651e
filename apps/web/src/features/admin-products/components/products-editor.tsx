import { type ChangeEvent, useEffect, useState } from 'react';
import { ApiError } from '../../../shared/api/http';
import { usePolled } from '../../../shared/hooks/use-polled';
import { Notice } from '../../../shared/ui/notice';
import { getAdminProducts } from '../api/get-admin-products';
import { putProducts } from '../api/put-products';
import { type ProductRow, type RowErrors, readRows, rowOf } from '../product-rows';

type Column = Exclude<keyof ProductRow, 'key' | 'sold'>;

const COLUMNS: { key: Column; label: string; className?: string; inputMode?: 'decimal' | 'numeric' }[] = [
  { key: 'id', label: 'Id' },
  { key: 'name', label: 'Name' },
  { key: 'description', label: 'Description' },
  { key: 'price', label: 'Price', className: 'number', inputMode: 'decimal' },
  { key: 'currency', label: 'Currency' },
  { key: 'stock', label: 'For sale', className: 'number', inputMode: 'numeric' },
  { key: 'maxPerOrder', label: 'Max / order', className: 'number', inputMode: 'numeric' },
];

/** A room's products and stock, edited in place and saved as a whole (PUT). */
export function ProductsEditor({ token, roomId }: { token: string; roomId: string }) {
  const loaded = usePolled(
    `admin-products:${roomId}`,
    (signal) => getAdminProducts(token, roomId, signal),
    null,
  );
  const [rows, setRows] = useState<ProductRow[] | null>(null);
  const [errors, setErrors] = useState<RowErrors[]>([]);
  const [message, setMessage] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (loaded.data) setRows(loaded.data.map((p) => rowOf(p)));
  }, [loaded.data]);

  if (rows === null) {
    return loaded.error ? (
      <Notice tone="error">{loaded.error.message}</Notice>
    ) : (
      <p className="muted">Loading…</p>
    );
  }

  const edit = (index: number, key: Column) => (event: ChangeEvent<HTMLInputElement>) => {
    const value = event.currentTarget.value;
    setRows((current) => current?.map((row, i) => (i === index ? { ...row, [key]: value } : row)) ?? null);
    setMessage(null);
  };

  const save = async () => {
    const read = readRows(rows);
    setErrors(read.errors);
    if (read.errors.some((e) => Object.keys(e).length > 0)) {
      setMessage({ tone: 'error', text: 'Some fields need a look: see the marked cells.' });
      return;
    }
    setSaving(true);
    try {
      const saved = await putProducts(token, roomId, read.products);
      setRows(saved.map((p) => rowOf(p)));
      setMessage({ tone: 'success', text: `Saved ${saved.length} product${saved.length === 1 ? '' : 's'}.` });
    } catch (error) {
      setMessage({ tone: 'error', text: error instanceof ApiError ? error.message : String(error) });
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="products-editor">
      <div className="table-scroll">
        <table className="editable">
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <th key={c.key} scope="col" className={c.className}>
                  {c.label}
                </th>
              ))}
              <th scope="col" className="number">
                Sold
              </th>
              <th scope="col">
                <span className="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              <tr key={row.key}>
                {COLUMNS.map((c) => {
                  const error = errors[i]?.[c.key];
                  return (
                    <td key={c.key} className={c.className}>
                      <input
                        aria-label={`${c.label} of row ${i + 1}`}
                        aria-invalid={error ? true : undefined}
                        title={error}
                        className={`cell-input${error ? ' cell-input--invalid' : ''}`}
                        value={row[c.key]}
                        inputMode={c.inputMode}
                        onChange={edit(i, c.key)}
                      />
                      {error ? <span className="cell-error">{error}</span> : null}
                    </td>
                  );
                })}
                <td className="number">{row.sold.toLocaleString('en')}</td>
                <td>
                  <button
                    type="button"
                    className="button button--quiet button--small"
                    aria-label={`Remove ${row.name || `row ${i + 1}`}`}
                    onClick={() => setRows(rows.filter((_, j) => j !== i))}
                  >
                    ✕
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted small">
        “For sale” is the number of units that can still be bought from now on. A product removed here is
        withdrawn from sale when you save.
      </p>
      {message ? (
        <Notice tone={message.tone} urgent={message.tone === 'error'}>
          <p>{message.text}</p>
        </Notice>
      ) : null}
      <div className="actions">
        <button type="button" className="button button--quiet" onClick={() => setRows([...rows, rowOf()])}>
          Add a product
        </button>
        <button type="button" className="button" onClick={save} disabled={saving}>
          {saving ? 'Saving…' : 'Save products'}
        </button>
      </div>
    </div>
  );
}
