import type { AdminProduct, ProductInput } from '../../shared/api/types';

/** One product as the editor holds it: text, as typed. */
export interface ProductRow {
  /** React's key: stays the same while the id is edited. */
  key: string;
  id: string;
  name: string;
  description: string;
  /** In the currency's main unit: "25.00". */
  price: string;
  currency: string;
  /** Units for sale from now on. */
  stock: string;
  /** Empty: no limit. */
  maxPerOrder: string;
  /** Read only: units in confirmed orders. */
  sold: number;
}

export type RowErrors = Partial<Record<keyof ProductRow, string>>;

const PRODUCT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
let counter = 0;

export function rowOf(p?: AdminProduct): ProductRow {
  counter += 1;
  return {
    key: `row-${counter}`,
    id: p?.id ?? '',
    name: p?.name ?? '',
    description: p?.description ?? '',
    price: p ? (p.priceCents / 100).toFixed(2) : '',
    currency: p?.currency ?? 'EUR',
    stock: p ? String(p.available) : '',
    maxPerOrder: p?.maxPerOrder == null ? '' : String(p.maxPerOrder),
    sold: p?.sold ?? 0,
  };
}

/** The rows as the API takes them, or what is wrong, row by row. */
export function readRows(rows: readonly ProductRow[]): { products: ProductInput[]; errors: RowErrors[] } {
  const seen = new Set<string>();
  const errors: RowErrors[] = [];
  const products = rows.map((row, i): ProductInput => {
    const e: RowErrors = {};
    const id = row.id.trim();
    if (!PRODUCT_ID.test(id) || id.length > 64) e.id = 'Letters, digits, - and _.';
    else if (seen.has(id)) e.id = 'Listed twice.';
    seen.add(id);
    if (row.name.trim() === '') e.name = 'Required.';
    const price = row.price.trim().replace(',', '.');
    if (!/^\d+(\.\d{1,2})?$/.test(price)) e.price = 'Like 25 or 25.50.';
    const currency = row.currency.trim().toUpperCase();
    if (!/^[A-Z]{3}$/.test(currency)) e.currency = 'Three letters: EUR.';
    if (!/^\d+$/.test(row.stock.trim())) e.stock = 'A whole number.';
    const max = row.maxPerOrder.trim();
    if (max !== '' && !(/^\d+$/.test(max) && Number(max) >= 1 && Number(max) <= 1000))
      e.maxPerOrder = '1 to 1000, or empty.';
    errors[i] = e;
    return {
      id,
      name: row.name.trim(),
      description: row.description.trim() === '' ? null : row.description.trim(),
      priceCents: Math.round(Number(price) * 100),
      currency,
      stock: Number(row.stock.trim()),
      maxPerOrder: max === '' ? null : Number(max),
    };
  });
  return { products, errors };
}
