import { InvalidRequestError } from '@waitroom/core';
import type { Kysely, Selectable, Transaction } from 'kysely';
import { decodeAuditCursor, encodeAuditCursor } from './audit-cursor.js';
import type {
  AuditEntry,
  AuditInput,
  AuditPage,
  ChangeAuthor,
  ControlStore,
  NewOperatorKey,
  OperatorKey,
  OperatorScope,
  RevokeOutcome,
} from './control-types.js';
import { OPERATOR_SCOPES } from './control-types.js';
import { isUniqueViolation } from './database-errors.js';
import type { AuditLogTable, OperatorKeysTable, OrdersDatabase } from './database-schema.js';
import {
  hashOperatorKey,
  looksLikeOperatorKey,
  newOperatorKeyId,
  newOperatorKeySecret,
} from './operator-key-secrets.js';
import { isoTime } from './order-rows.js';

export const MAX_AUDIT_PAGE = 500;
/** `lastUsedAt` is kept to the minute: a key in use costs one write a minute, not one a call. */
const LAST_USED_PRECISION_MS = 60_000;
/** A summary longer than this is replaced by a note of its size: the log holds summaries, not payloads. */
const MAX_DETAILS_CHARS = 8_000;
/** 1 to 100 characters, none of them a control character (a name is printed in a terminal). */
const KEY_NAME = /^\P{Cc}{1,100}$/u;

type Db = Kysely<OrdersDatabase> | Transaction<OrdersDatabase>;

/**
 * Operator keys and the audit log on the order store's connection (one pool per instance).
 * Closing is the order store's business.
 */
export class KyselyControlStore implements ControlStore {
  readonly #db: Kysely<OrdersDatabase>;

  constructor(db: Kysely<OrdersDatabase>) {
    this.#db = db;
  }

  async createOperatorKey(
    input: { name: string; scope: OperatorScope },
    by: ChangeAuthor,
  ): Promise<NewOperatorKey> {
    const name = typeof input.name === 'string' ? input.name.trim() : '';
    if (!KEY_NAME.test(name)) {
      throw new InvalidRequestError('name must be 1 to 100 printable characters');
    }
    if (!OPERATOR_SCOPES.includes(input.scope))
      throw new InvalidRequestError("scope must be 'read' or 'write'");
    for (let attempt = 1; ; attempt++) {
      const id = newOperatorKeyId();
      const key = newOperatorKeySecret();
      const row = {
        id,
        name,
        scope: input.scope,
        key_hash: hashOperatorKey(key),
        created_at: by.now,
        revoked_at: null,
        last_used_at: null,
      };
      try {
        await this.#db.transaction().execute(async (trx) => {
          await trx.insertInto('operator_keys').values(row).execute();
          await insertAudit(trx, {
            at: by.now,
            actor: by.actor,
            action: 'operator-key.create',
            details: { keyId: id, name, scope: input.scope },
            requestId: by.requestId ?? null,
          });
        });
        return { id, key, operatorKey: toOperatorKey(row) };
      } catch (error) {
        // Ten random letters colliding is all but impossible; a second draw settles it.
        if (!isUniqueViolation(error) || attempt >= 3) throw error;
      }
    }
  }

  async revokeOperatorKey(id: string, by: ChangeAuthor): Promise<RevokeOutcome> {
    return this.#db.transaction().execute(async (trx) => {
      const revoked = await trx
        .updateTable('operator_keys')
        .set({ revoked_at: by.now })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      const row = await trx.selectFrom('operator_keys').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) return { found: false };
      const revokedNow = revoked.numUpdatedRows > 0n;
      if (revokedNow) {
        await insertAudit(trx, {
          at: by.now,
          actor: by.actor,
          action: 'operator-key.revoke',
          details: { keyId: row.id, name: row.name, scope: row.scope },
          requestId: by.requestId ?? null,
        });
      }
      return { found: true, revokedNow, key: toOperatorKey(row) };
    });
  }

  async listOperatorKeys(): Promise<OperatorKey[]> {
    const rows = await this.#db
      .selectFrom('operator_keys')
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return rows.map(toOperatorKey);
  }

  async findOperatorKey(secret: string, now?: number): Promise<OperatorKey | null> {
    if (typeof secret !== 'string' || !looksLikeOperatorKey(secret)) return null;
    const row = await this.#db
      .selectFrom('operator_keys')
      .selectAll()
      .where('key_hash', '=', hashOperatorKey(secret))
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (!row) return null;
    const key = toOperatorKey(row);
    if (now === undefined) return key;
    const lastUsed = row.last_used_at === null ? null : Number(row.last_used_at);
    if (lastUsed !== null && lastUsed > now - LAST_USED_PRECISION_MS) return key;
    try {
      await this.#db
        .updateTable('operator_keys')
        .set({ last_used_at: now })
        .where('id', '=', row.id)
        .where((eb) =>
          eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<=', now - LAST_USED_PRECISION_MS)]),
        )
        .execute();
      return { ...key, lastUsedAt: isoTime(now) };
    } catch {
      // The key was found valid; a lost bookkeeping write (a busy file, a lock) is no reason to refuse it.
      return key;
    }
  }

  async appendAudit(record: AuditInput): Promise<void> {
    await insertAudit(this.#db, record);
  }

  async listAudit(options: {
    limit: number;
    cursor?: string | null;
    roomId?: string | null;
  }): Promise<AuditPage> {
    const { limit, cursor, roomId } = options;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_AUDIT_PAGE) {
      throw new InvalidRequestError(`limit must be an integer from 1 to ${MAX_AUDIT_PAGE}`);
    }
    let query = this.#db.selectFrom('audit_log').selectAll();
    if (roomId !== undefined && roomId !== null) query = query.where('room_id', '=', roomId);
    if (cursor) query = query.where('id', '<', decodeAuditCursor(cursor));
    // One row more than asked tells whether an older page exists.
    const rows = await query
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    const entries = rows.slice(0, limit).map(toAuditEntry);
    const last = entries.at(-1);
    return { entries, nextCursor: rows.length > limit && last ? encodeAuditCursor(last.id) : null };
  }
}

async function insertAudit(db: Db, record: AuditInput): Promise<void> {
  checkText(record.actor, 'actor', 200);
  checkText(record.action, 'action', 64);
  if (!Number.isSafeInteger(record.at) || record.at < 0) throw new InvalidRequestError('at must be epoch ms');
  const roomId = record.roomId ?? null;
  if (roomId !== null) checkText(roomId, 'roomId', 64);
  let details = JSON.stringify(record.details ?? {});
  if (details.length > MAX_DETAILS_CHARS)
    details = JSON.stringify({ truncated: true, chars: details.length });
  await db
    .insertInto('audit_log')
    .values({
      at: record.at,
      actor: record.actor,
      action: record.action,
      room_id: roomId,
      details,
      // Request ids come from a header: kept only when short enough to be one.
      request_id: record.requestId && record.requestId.length <= 128 ? record.requestId : null,
    })
    .execute();
}

function checkText(value: unknown, field: string, maxLength: number): void {
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) {
    throw new InvalidRequestError(`${field} must be 1 to ${maxLength} characters`);
  }
}

function toOperatorKey(row: Selectable<OperatorKeysTable>): OperatorKey {
  return {
    id: row.id,
    name: row.name,
    scope: row.scope === 'write' ? 'write' : 'read',
    createdAt: isoTime(row.created_at),
    revokedAt: row.revoked_at === null ? null : isoTime(row.revoked_at),
    lastUsedAt: row.last_used_at === null ? null : isoTime(row.last_used_at),
  };
}

function toAuditEntry(row: Selectable<AuditLogTable>): AuditEntry {
  let details: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(row.details);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      details = parsed as Record<string, unknown>;
    }
  } catch {
    details = {};
  }
  return {
    id: Number(row.id),
    at: isoTime(row.at),
    actor: row.actor,
    action: row.action,
    roomId: row.room_id,
    details,
    requestId: row.request_id,
  };
}
