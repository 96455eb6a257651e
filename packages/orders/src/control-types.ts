/**
 * The control side of the database: the operators' named keys and the audit log of what they
 * changed. Kept in the same SQL database as the orders, as it is the one store every server
 * instance shares and keeps across restarts. Times are epoch milliseconds in, ISO 8601 out.
 */

/** `read` may look (GET); `write` may also change. */
export type OperatorScope = 'read' | 'write';

export const OPERATOR_SCOPES: readonly OperatorScope[] = ['read', 'write'];

/** A named operator key as listed: never its secret, never its hash. */
export interface OperatorKey {
  /** Public id, `ok_…`: what a command or the audit log names. */
  id: string;
  name: string;
  scope: OperatorScope;
  createdAt: string;
  /** Null while the key is valid. */
  revokedAt: string | null;
  /** Roughly when it was last accepted (to the minute), or null if never. */
  lastUsedAt: string | null;
}

/** A key just made: the secret is in `key`, shown this once and never stored. */
export interface NewOperatorKey {
  id: string;
  key: string;
  operatorKey: OperatorKey;
}

/** Who makes a change to the keys, and when: the change and its audit record are one transaction. */
export interface ChangeAuthor {
  /** `admin`, `key:<id>:<name>`, `command`… */
  actor: string;
  now: number;
  requestId?: string | null;
}

/** One line of the audit log as written. `details` must hold no personal data and no secret. */
export interface AuditInput {
  at: number;
  actor: string;
  /** What was done, e.g. `room.update`, `products.put`, `customer.erase`. */
  action: string;
  roomId?: string | null;
  details?: Record<string, unknown>;
  requestId?: string | null;
}

export interface AuditEntry {
  /** Increasing: a later record has a greater id. */
  id: number;
  at: string;
  actor: string;
  action: string;
  roomId: string | null;
  details: Record<string, unknown>;
  requestId: string | null;
}

export interface AuditPage {
  entries: AuditEntry[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

export type RevokeOutcome =
  | { found: false }
  /** `revokedNow` false: it had been revoked before (and `key.revokedAt` says when). */
  | { found: true; revokedNow: boolean; key: OperatorKey };

/**
 * Operator keys and the audit log. The key itself is never stored: only its SHA-256, looked up
 * by the database's unique index, so a presented key costs one indexed read and nothing is
 * cached: a revoked key is refused on its next call, on every instance.
 */
export interface ControlStore {
  /** Makes a key and records it in the audit log, in one transaction. */
  createOperatorKey(input: { name: string; scope: OperatorScope }, by: ChangeAuthor): Promise<NewOperatorKey>;
  /** Revokes a key (for good) and records it in the audit log, in one transaction. */
  revokeOperatorKey(id: string, by: ChangeAuthor): Promise<RevokeOutcome>;
  /** Every key, newest first, revoked ones included. */
  listOperatorKeys(): Promise<OperatorKey[]>;
  /**
   * The valid key whose secret this is, or null (unknown, malformed or revoked). With `now`, the
   * key's `lastUsedAt` is brought up to date when it is more than a minute old.
   */
  findOperatorKey(secret: string, now?: number): Promise<OperatorKey | null>;
  appendAudit(record: AuditInput): Promise<void>;
  /**
   * Newest first, `limit` 1..500, `cursor` from the previous page. A cursor this store did not
   * make throws `InvalidRequestError` (INVALID_REQUEST).
   */
  listAudit(options: { limit: number; cursor?: string | null; roomId?: string | null }): Promise<AuditPage>;
}
