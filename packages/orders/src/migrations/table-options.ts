import { type CreateTableBuilder, sql } from 'kysely';
import type { DatabaseDialect } from '../types.js';

/**
 * What every table needs on its dialect. MySQL compares strings case- and accent-insensitively
 * by default; ids must compare as they do in SQLite and PostgreSQL, byte for byte.
 */
export function tableOptionsFor(dialect: DatabaseDialect) {
  return <T extends string, C extends string>(table: CreateTableBuilder<T, C>) =>
    dialect === 'mysql'
      ? table.modifyEnd(sql`engine = InnoDB default charset = utf8mb4 collate = utf8mb4_bin`)
      : table;
}
