import { type Kysely, sql } from 'kysely';
import type { DatabaseDialect } from '../types.js';
import { tableOptionsFor } from './table-options.js';

/**
 * The operators' named keys and the audit log of their changes, beside the orders: the one
 * store every server instance shares.
 *
 * A key is kept as the SHA-256 of its secret (UNIQUE: the lookup is one indexed read). The
 * audit log's id is an autoincrement: an order of records that needs no clock agreement
 * between instances, and a cursor that never skips a record written in the same millisecond.
 */
export function operatorAccessMigration(dialect: DatabaseDialect) {
  const tableOptions = tableOptionsFor(dialect);

  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('operator_keys')
        .addColumn('id', 'varchar(32)', (col) => col.notNull().primaryKey())
        .addColumn('name', 'varchar(100)', (col) => col.notNull())
        .addColumn('scope', 'varchar(8)', (col) => col.notNull())
        .addColumn('key_hash', 'varchar(64)', (col) => col.notNull())
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .addColumn('revoked_at', 'bigint')
        .addColumn('last_used_at', 'bigint')
        .addUniqueConstraint('operator_keys_hash_unique', ['key_hash'])
        .addCheckConstraint('operator_keys_scope_known', sql`scope in ('read', 'write')`)
        .$call(tableOptions)
        .execute();

      let auditLog = db.schema.createTable('audit_log');
      auditLog =
        dialect === 'postgres'
          ? auditLog.addColumn('id', 'bigserial', (col) => col.primaryKey())
          : auditLog.addColumn('id', dialect === 'mysql' ? 'bigint' : 'integer', (col) =>
              col.primaryKey().autoIncrement(),
            );
      await auditLog
        .addColumn('at', 'bigint', (col) => col.notNull())
        .addColumn('actor', 'varchar(200)', (col) => col.notNull())
        .addColumn('action', 'varchar(64)', (col) => col.notNull())
        .addColumn('room_id', 'varchar(64)')
        .addColumn('details', 'text', (col) => col.notNull())
        .addColumn('request_id', 'varchar(128)')
        .$call(tableOptions)
        .execute();
      // A room's history, newest first, for the dashboard.
      await db.schema.createIndex('audit_log_room_idx').on('audit_log').columns(['room_id', 'id']).execute();
    },
  };
}
