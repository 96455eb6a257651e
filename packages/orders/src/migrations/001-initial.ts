import { type Kysely, sql } from 'kysely';
import type { DatabaseDialect } from '../types.js';
import { tableOptionsFor } from './table-options.js';

/**
 * Products, orders and their lines. Three rules live in the schema, so that they hold across
 * server instances whatever the code does: stock never below zero (CHECK), one order per
 * admitted ticket (UNIQUE room_id, ticket_id) and lines only of existing orders (FOREIGN KEY).
 *
 * Lengths bound what the HTTP schemas accept (ids of 64, names of 200, e-mail of 254…) with
 * room to spare. Times are epoch milliseconds in BIGINT: no time zone, one type everywhere.
 */
export function initialMigration(dialect: DatabaseDialect) {
  const tableOptions = tableOptionsFor(dialect);

  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('products')
        .addColumn('room_id', 'varchar(64)', (col) => col.notNull())
        .addColumn('id', 'varchar(64)', (col) => col.notNull())
        .addColumn('name', 'varchar(255)', (col) => col.notNull())
        .addColumn('description', 'text')
        .addColumn('price_cents', 'integer', (col) => col.notNull())
        .addColumn('currency', 'varchar(3)', (col) => col.notNull())
        .addColumn('stock', 'integer', (col) => col.notNull())
        .addColumn('sold', 'bigint', (col) => col.notNull().defaultTo(0))
        .addColumn('max_per_order', 'integer')
        .addColumn('position', 'integer', (col) => col.notNull())
        .addColumn('on_sale', 'integer', (col) => col.notNull().defaultTo(1))
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .addColumn('updated_at', 'bigint', (col) => col.notNull())
        .addPrimaryKeyConstraint('products_pk', ['room_id', 'id'])
        .addCheckConstraint('products_stock_not_negative', sql`stock >= 0`)
        .addCheckConstraint('products_sold_not_negative', sql`sold >= 0`)
        .addCheckConstraint('products_price_not_negative', sql`price_cents >= 0`)
        .$call(tableOptions)
        .execute();

      await db.schema
        .createTable('orders')
        .addColumn('id', 'varchar(128)', (col) => col.notNull().primaryKey())
        .addColumn('room_id', 'varchar(64)', (col) => col.notNull())
        .addColumn('ticket_id', 'varchar(128)', (col) => col.notNull())
        .addColumn('idempotency_key', 'varchar(255)', (col) => col.notNull())
        .addColumn('request_hash', 'varchar(128)', (col) => col.notNull())
        // Nullable: erasing a customer's details keeps the order and its figures.
        .addColumn('customer_first_name', 'varchar(255)')
        .addColumn('customer_last_name', 'varchar(255)')
        .addColumn('customer_email', 'varchar(320)')
        .addColumn('customer_phone', 'varchar(32)')
        .addColumn('erased_at', 'bigint')
        .addColumn('total_cents', 'bigint', (col) => col.notNull())
        .addColumn('currency', 'varchar(3)', (col) => col.notNull())
        .addColumn('status', 'varchar(16)', (col) => col.notNull())
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        // One order per admission, across every instance: a second insert for the same
        // ticket waits for the first transaction, then fails.
        .addUniqueConstraint('orders_room_ticket_unique', ['room_id', 'ticket_id'])
        .$call(tableOptions)
        .execute();

      // Newest first, per room or over all rooms, with (created_at, id) as the cursor.
      await db.schema
        .createIndex('orders_room_created_idx')
        .on('orders')
        .columns(['room_id', 'created_at', 'id'])
        .execute();
      await db.schema.createIndex('orders_created_idx').on('orders').columns(['created_at', 'id']).execute();

      await db.schema
        .createTable('order_lines')
        .addColumn('order_id', 'varchar(128)', (col) => col.notNull())
        .addColumn('product_id', 'varchar(64)', (col) => col.notNull())
        .addColumn('quantity', 'integer', (col) => col.notNull())
        .addColumn('unit_price_cents', 'integer', (col) => col.notNull())
        // The line's rank in the request: the order reads back as it was sent.
        .addColumn('position', 'integer', (col) => col.notNull())
        .addPrimaryKeyConstraint('order_lines_pk', ['order_id', 'product_id'])
        .addForeignKeyConstraint('order_lines_order_fk', ['order_id'], 'orders', ['id'])
        .addCheckConstraint('order_lines_quantity_positive', sql`quantity > 0`)
        .$call(tableOptions)
        .execute();
    },
  };
}
