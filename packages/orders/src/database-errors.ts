/**
 * What a driver's error means, for the three drivers: the only place where the dialects'
 * error codes appear. The codes do not overlap, so one function serves every dialect.
 */

interface DriverError {
  /** pg: SQLSTATE ('23505'); mysql2: 'ER_DUP_ENTRY'; better-sqlite3: 'SQLITE_CONSTRAINT_UNIQUE'. */
  code?: unknown;
  /** mysql2: the server's error number (1062). */
  errno?: unknown;
}

function fieldsOf(error: unknown): DriverError {
  return typeof error === 'object' && error !== null ? (error as DriverError) : {};
}

/** A unique or primary key was violated: another transaction got there first. */
export function isUniqueViolation(error: unknown): boolean {
  const { code, errno } = fieldsOf(error);
  return (
    code === '23505' || // PostgreSQL unique_violation
    code === 'ER_DUP_ENTRY' ||
    errno === 1062 || // MySQL / MariaDB
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

/**
 * The transaction lost a race it may win on a second try: a deadlock, a serialization
 * failure, a lock wait that ran out, or SQLite's file lock held by another process.
 */
export function isTransient(error: unknown): boolean {
  const { code, errno } = fieldsOf(error);
  if (code === '40P01' || code === '40001') return true; // PostgreSQL deadlock / serialization
  if (code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT') return true;
  if (errno === 1213 || errno === 1205) return true; // MySQL / MariaDB
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}
