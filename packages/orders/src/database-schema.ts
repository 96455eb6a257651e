import type { ColumnType, Generated } from 'kysely';

/**
 * The tables as Kysely sees them: one description for SQLite, PostgreSQL and MySQL.
 *
 * Flags are integers (0/1), not booleans, because better-sqlite3 cannot bind a boolean.
 * BIGINT columns come back as strings from `pg` and as numbers from the others: their
 * selected type says so, and the row mappers turn them into numbers.
 */
type BigInt64 = ColumnType<number | string, number, number>;
type NullableBigInt64 = ColumnType<number | string | null, number | null, number | null>;

export interface ProductsTable {
  room_id: string;
  id: string;
  name: string;
  description: string | null;
  price_cents: number;
  currency: string;
  /** Units still for sale; a CHECK keeps it at zero or above. */
  stock: number;
  /** Units in confirmed orders. */
  sold: BigInt64;
  max_per_order: number | null;
  /** Rank in the operator's list: products are shown in the order they were put. */
  position: number;
  /** 1 while listed by the operator; 0 once withdrawn (kept for the orders that name it). */
  on_sale: number;
  created_at: BigInt64;
  updated_at: BigInt64;
}

export interface OrdersTable {
  id: string;
  room_id: string;
  ticket_id: string;
  idempotency_key: string;
  request_hash: string;
  customer_first_name: string | null;
  customer_last_name: string | null;
  customer_email: string | null;
  customer_phone: string | null;
  erased_at: NullableBigInt64;
  total_cents: BigInt64;
  currency: string;
  status: string;
  created_at: BigInt64;
}

export interface OrderLinesTable {
  order_id: string;
  product_id: string;
  quantity: number;
  unit_price_cents: number;
  /** The line's rank in the request. */
  position: number;
}

export interface OperatorKeysTable {
  /** Public: `ok_…`. */
  id: string;
  name: string;
  scope: string;
  /** SHA-256 of the secret, hex; unique. The secret itself is never stored. */
  key_hash: string;
  created_at: BigInt64;
  revoked_at: NullableBigInt64;
  last_used_at: NullableBigInt64;
}

export interface AuditLogTable {
  /** Increasing with each record (autoincrement); the listing's order and cursor. */
  id: Generated<number | string>;
  at: BigInt64;
  actor: string;
  action: string;
  room_id: string | null;
  /** JSON object: a safe summary of the change, never personal data or a secret. */
  details: string;
  request_id: string | null;
}

export interface OrdersDatabase {
  products: ProductsTable;
  orders: OrdersTable;
  order_lines: OrderLinesTable;
  operator_keys: OperatorKeysTable;
  audit_log: AuditLogTable;
}
