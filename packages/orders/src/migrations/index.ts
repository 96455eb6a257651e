import type { Migration, MigrationProvider } from 'kysely';
import type { DatabaseDialect } from '../types.js';
import { initialMigration } from './001-initial.js';
import { operatorAccessMigration } from './002-operator-access.js';

/**
 * The migrations, in code: the built package needs no migration files beside it. Kysely runs
 * them in the order of their names; a new one gets the next number and never edits an old one.
 */
export function migrationsFor(dialect: DatabaseDialect): Record<string, Migration> {
  return {
    '001_initial': initialMigration(dialect),
    '002_operator_access': operatorAccessMigration(dialect),
  };
}

export class InCodeMigrationProvider implements MigrationProvider {
  readonly #migrations: Record<string, Migration>;

  constructor(dialect: DatabaseDialect) {
    this.#migrations = migrationsFor(dialect);
  }

  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve(this.#migrations);
  }
}
