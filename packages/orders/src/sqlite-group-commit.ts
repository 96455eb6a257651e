import { fstatSync, statSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  SqliteDialect,
  type SqliteDialectConfig,
  type TransactionSettings,
} from 'kysely';

/** One sync, and what lets go of its resources when the database closes. */
export type SyncOnce = (() => Promise<void>) & { close?: () => Promise<void> };

/**
 * Many callers, few syncs: each `request()` resolves once a sync that began after the call has
 * finished. While one sync runs, every request made meanwhile waits for the next, which then
 * covers them all: a crowd of orders costs a handful of syncs, not one each.
 */
export class GroupSync {
  readonly #syncOnce: SyncOnce;
  #running = false;
  #waiting: Batch | null = null;
  /** Syncs started since this object was made (for tests and figures). */
  started = 0;

  constructor(syncOnce: SyncOnce) {
    this.#syncOnce = syncOnce;
  }

  /** Lets go of what the sync holds (an open file), once its callers are done with it. */
  async close(): Promise<void> {
    await this.#syncOnce.close?.();
  }

  request(): Promise<void> {
    let batch = this.#waiting;
    if (batch === null) {
      batch = this.#waiting = new Batch();
      this.#startNext();
    }
    return batch.promise;
  }

  #startNext(): void {
    const batch = this.#waiting;
    if (this.#running || batch === null) return;
    this.#waiting = null;
    this.#running = true;
    this.started++;
    let synced: Promise<void>;
    try {
      synced = this.#syncOnce();
    } catch (error) {
      synced = Promise.reject(error);
    }
    synced.then(batch.resolve, batch.reject).finally(() => {
      this.#running = false;
      this.#startNext();
    });
  }
}

class Batch {
  readonly promise: Promise<void>;
  resolve!: () => void;
  reject!: (error: unknown) => void;
  constructor() {
    this.promise = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }
}

/**
 * Puts the WAL file on disk with `fdatasync`, on libuv's thread pool: the frames of every
 * transaction committed before the call, whatever connection wrote them. The file is opened
 * once and kept open, so that a sync is one task of the thread pool (which also runs the
 * admission tokens' signatures), not three; should the path name another file since (SQLite
 * removes the WAL when the last connection to the database closes, and a new one is made),
 * it is opened again. The first sync also syncs the folder, so that the WAL file's own entry
 * is on disk.
 */
export function walFileSync(walPath: string): SyncOnce & { close(): Promise<void> } {
  let file: FileHandle | null = null;
  let folderSynced = false;
  const sync = async () => {
    if (file !== null && !sameFile(file.fd, walPath)) {
      const old = file;
      file = null;
      await old.close();
    }
    if (file === null) file = await open(walPath, 'r');
    await file.datasync();
    if (!folderSynced) {
      const folder = await open(dirname(walPath), 'r');
      try {
        await folder.sync();
      } finally {
        await folder.close();
      }
      folderSynced = true;
    }
  };
  return Object.assign(sync, {
    close: async () => {
      const old = file;
      file = null;
      await old?.close();
    },
  });
}

/** Whether the open file `fd` is still the one at `path` (two system calls, no disk wait). */
function sameFile(fd: number, path: string): boolean {
  try {
    const opened = fstatSync(fd);
    const named = statSync(path);
    return opened.ino === named.ino && opened.dev === named.dev;
  } catch {
    return false;
  }
}

/**
 * SQLite with the commit's wait for the disk moved off the event loop. better-sqlite3 is
 * synchronous: with `synchronous=FULL`, every commit blocks the whole server for the WAL's
 * fsync (in a sale, a sixth of the event loop's time went there). Here the database runs with
 * `synchronous=NORMAL` in WAL mode, where a commit only writes the WAL, and the driver does not
 * let a caller go on after a commit (or a write outside a transaction) until the WAL has been
 * synced by a `GroupSync`, off the event loop. The connection is free for the next transaction
 * meanwhile, and one sync covers every commit made before it began. So an order is on disk
 * before it is confirmed, as with FULL; only what was never confirmed can be lost to a power
 * cut. Checkpoints still sync in SQLite itself, now and then, as with FULL.
 */
export class GroupCommitSqliteDialect extends SqliteDialect {
  readonly #sync: GroupSync;

  constructor(config: SqliteDialectConfig, sync: GroupSync) {
    super(config);
    this.#sync = sync;
  }

  override createDriver(): Driver {
    return new GroupCommitDriver(super.createDriver(), this.#sync);
  }
}

/** Query kinds that write even when they return rows. */
const WRITES = new Set(['InsertQueryNode', 'UpdateQueryNode', 'DeleteQueryNode', 'MergeQueryNode']);

/** Kysely's SQLite driver, with the wait for a sync after each write, once the connection is released. */
class GroupCommitDriver implements Driver {
  readonly #inner: Driver;
  readonly #sync: GroupSync;
  /** SQLite has one connection, held by one caller at a time: this state is that caller's. */
  #inTransaction = false;
  #wrote = false;

  constructor(inner: Driver, sync: GroupSync) {
    this.#inner = inner;
    this.#sync = sync;
  }

  init(): Promise<void> {
    return this.#inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.#inner.acquireConnection();
    return {
      executeQuery: async <R>(query: Parameters<DatabaseConnection['executeQuery']>[0]) => {
        const result: QueryResult<R> = await connection.executeQuery<R>(query);
        // A write outside a transaction commits by itself. Kysely's SQLite connection gives
        // numAffectedRows for the statements that return no rows; a write that returns rows
        // (RETURNING) is known by its query's kind.
        if (!this.#inTransaction && (result.numAffectedRows !== undefined || WRITES.has(query.query.kind)))
          this.#wrote = true;
        return result;
      },
      streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize),
    };
  }

  // `begin`, `commit` and `rollback` go through the wrapped connection too: they are run as
  // inside the transaction, so that they do not count as writes of their own.
  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    this.#inTransaction = true;
    try {
      await this.#inner.beginTransaction(connection, settings);
    } catch (error) {
      this.#inTransaction = false;
      throw error;
    }
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await this.#inner.commitTransaction(connection);
    this.#inTransaction = false;
    this.#wrote = true;
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await this.#inner.rollbackTransaction(connection);
    } finally {
      this.#inTransaction = false;
    }
  }

  savepoint: Driver['savepoint'] = (connection, name, compile) =>
    this.#inner.savepoint?.(connection, name, compile) ?? Promise.resolve();
  rollbackToSavepoint: Driver['rollbackToSavepoint'] = (connection, name, compile) =>
    this.#inner.rollbackToSavepoint?.(connection, name, compile) ?? Promise.resolve();
  releaseSavepoint: Driver['releaseSavepoint'] = (connection, name, compile) =>
    this.#inner.releaseSavepoint?.(connection, name, compile) ?? Promise.resolve();

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const wrote = this.#wrote;
    this.#wrote = false;
    this.#inTransaction = false;
    // The connection goes to the next caller first; this one waits for the disk after.
    await this.#inner.releaseConnection(connection);
    if (wrote) await this.#sync.request();
  }

  async destroy(): Promise<void> {
    await this.#inner.destroy();
    await this.#sync.close();
  }
}
