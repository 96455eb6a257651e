import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite, withStatementCache } from './open.js';
import { GroupCommitSqliteDialect, GroupSync, walFileSync } from './sqlite-group-commit.js';

/** A sync the test ends by hand, and the log of when syncs started and ended. */
class HandSync {
  readonly log: string[] = [];
  readonly pending: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];
  readonly syncOnce = (): Promise<void> => {
    this.log.push('start');
    return new Promise((resolve, reject) => {
      this.pending.push({
        resolve: () => {
          this.log.push('end');
          resolve();
        },
        reject,
      });
    });
  };
  endOne(): void {
    this.pending.shift()?.resolve();
  }
  failOne(error: Error): void {
    this.pending.shift()?.reject(error);
  }
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupSync', () => {
  it('starts a sync at once when none runs, and makes everyone asking meanwhile wait for one more', async () => {
    const hand = new HandSync();
    const group = new GroupSync(hand.syncOnce);
    const done: number[] = [];
    const first = group.request().then(() => done.push(0));
    expect(group.started).toBe(1);
    const rest = Array.from({ length: 10 }, (_, i) => group.request().then(() => done.push(i + 1)));
    await turn();
    expect(group.started).toBe(1); // the others wait for the sync running to end
    hand.endOne();
    await first;
    await turn();
    expect(done).toEqual([0]); // a sync that began before them does not cover them
    expect(group.started).toBe(2);
    hand.endOne();
    await Promise.all(rest);
    expect(done.slice(1).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(hand.log).toEqual(['start', 'end', 'start', 'end']);
  });

  it('tells a failed sync to its waiters only, and syncs again for the next', async () => {
    const hand = new HandSync();
    const group = new GroupSync(hand.syncOnce);
    const failed = group.request();
    const next = group.request();
    hand.failOne(new Error('EIO'));
    await expect(failed).rejects.toThrow('EIO');
    await turn();
    hand.endOne();
    await expect(next).resolves.toBeUndefined();
    const thrown = new GroupSync(() => {
      throw new Error('thrown at once');
    });
    await expect(thrown.request()).rejects.toThrow('thrown at once');
  });

  it('every request is answered by a sync that started after it, and syncs never overlap', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 40 }),
        async (plan) => {
          let clock = 0;
          let running = 0;
          let overlapped = false;
          const group = new GroupSync(async () => {
            const startedAt = ++clock;
            running++;
            if (running > 1) overlapped = true;
            await turn();
            running--;
            lastStart = startedAt;
          });
          let lastStart = 0;
          const checks: Promise<boolean>[] = [];
          for (const pause of plan) {
            const askedAt = ++clock;
            checks.push(group.request().then(() => lastStart > askedAt));
            for (let i = 0; i < pause; i++) await turn();
          }
          const results = await Promise.all(checks);
          return !overlapped && results.every(Boolean) && group.started <= plan.length;
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('GroupCommitSqliteDialect', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A database with table t made: its creation, a write outside a transaction, had one sync. */
  async function openWith(hand: HandSync) {
    dir = mkdtempSync(join(tmpdir(), 'waitroom-group-commit-'));
    const { database } = openSqlite(dir);
    const group = new GroupSync(hand.syncOnce);
    const db = new Kysely<{ t: { id: number; v: string } }>({
      dialect: new GroupCommitSqliteDialect({ database: withStatementCache(database) }, group),
    });
    const created = sql`create table t (id integer primary key, v text not null)`.execute(db);
    await turn();
    expect(group.started).toBe(1);
    hand.endOne();
    await created;
    return { db, group };
  }

  it('answers a commit only after a sync that began after it; the connection serves others meanwhile', async () => {
    const hand = new HandSync();
    const { db, group } = await openWith(hand);

    let committed = false;
    const first = db
      .transaction()
      .execute((trx) => trx.insertInto('t').values({ id: 1, v: 'a' }).execute())
      .then(() => {
        committed = true;
      });
    await turn();
    expect(group.started).toBe(2);
    expect(committed).toBe(false);
    // While the first waits for the disk, the one connection runs the next transaction.
    const second = db.transaction().execute((trx) => trx.insertInto('t').values({ id: 2, v: 'b' }).execute());
    const seen = await db.selectFrom('t').select('id').orderBy('id').execute();
    expect(seen.map((row) => row.id)).toEqual([1, 2]);
    expect(committed).toBe(false);
    hand.endOne(); // the sync that began before the second commit: only the first is answered
    await first;
    await turn();
    expect(group.started).toBe(3);
    hand.endOne();
    await second;
    await db.destroy();
  });

  it('reads and rolled-back transactions wait for no sync; a write outside a transaction does', async () => {
    const hand = new HandSync();
    const { db, group } = await openWith(hand);
    const before = group.started;

    await db.selectFrom('t').selectAll().execute();
    await sql`select 1`.execute(db);
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('t').values({ id: 1, v: 'a' }).execute();
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(group.started).toBe(before);
    expect(await db.selectFrom('t').selectAll().execute()).toEqual([]);

    const written = db.insertInto('t').values({ id: 7, v: 'x' }).execute();
    await turn();
    expect(group.started).toBe(before + 1);
    hand.endOne();
    await written;
    const updated = db.updateTable('t').set({ v: 'y' }).where('id', '=', 7).returning('v').execute();
    await turn();
    expect(group.started).toBe(before + 2);
    hand.endOne();
    expect(await updated).toEqual([{ v: 'y' }]);
    await db.destroy();
  });

  it('a crowd of transactions shares a few syncs', async () => {
    const hand = new HandSync();
    const { db, group } = await openWith(hand);
    const before = group.started;
    const crowd = Array.from({ length: 50 }, (_, i) =>
      db.transaction().execute((trx) =>
        trx
          .insertInto('t')
          .values({ id: i, v: String(i) })
          .execute(),
      ),
    );
    while (hand.pending.length > 0 || group.started - before < 2) {
      await turn();
      hand.endOne();
    }
    await Promise.all(crowd);
    expect(group.started - before).toBeLessThanOrEqual(3);
    expect((await db.selectFrom('t').select('id').execute()).length).toBe(50);
    await db.destroy();
  });
});

describe('the SQLite file of the order store', () => {
  it('is in WAL mode with synchronous=NORMAL, and its WAL file is synced for real', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'waitroom-wal-'));
    try {
      const { database, walPath } = openSqlite(dir);
      expect(database.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(database.pragma('synchronous', { simple: true })).toBe(1);
      expect(walPath).toBe(join(dir, 'orders.sqlite-wal'));
      database.exec('create table t (x)');
      database.prepare('insert into t values (1)').run();
      expect(existsSync(walPath as string)).toBe(true);
      const sync = walFileSync(walPath as string);
      await sync();
      await sync();
      database.close(); // the last connection: SQLite removes the WAL file
      expect(existsSync(walPath as string)).toBe(false);
      await expect(sync()).rejects.toThrow(/ENOENT/);
      writeFileSync(walPath as string, 'another file at the path');
      await sync(); // opened again
      await sync.close();
      await expect(walFileSync(join(dir, 'missing-wal'))()).rejects.toThrow(/ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
