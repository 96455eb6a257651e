import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { isTransient, isUniqueViolation } from './database-errors.js';
import { describeDatabase, dialectOf, openOrderStore, withStatementCache } from './open.js';
import { decodeOrderCursor, encodeOrderCursor } from './order-cursor.js';

describe('choosing the database', () => {
  it('DATABASE_URL names the dialect; unset is SQLite', () => {
    expect(dialectOf(undefined)).toBe('sqlite');
    expect(dialectOf('')).toBe('sqlite');
    expect(dialectOf('postgres://u@h/db')).toBe('postgres');
    expect(dialectOf('postgresql://u@h/db')).toBe('postgres');
    expect(dialectOf('mysql://u@h/db')).toBe('mysql');
    expect(dialectOf('MariaDB://u@h/db')).toBe('mysql');
    expect(dialectOf('redis://h')).toBeNull();
    expect(dialectOf('h:5432')).toBeNull();
  });

  it('describes a database without its password', () => {
    expect(describeDatabase('postgres://shop:hunter2@db.internal:5432/orders?sslmode=require')).toBe(
      'postgres://shop:***@db.internal:5432/orders',
    );
    expect(describeDatabase(undefined, 'data')).toBe('SQLite data/orders.sqlite');
  });

  it('refuses an unsupported URL or a bad schema name at once, without echoing the password', async () => {
    await expect(openOrderStore({ databaseUrl: 'redis://u:hunter2@h', dataDir: '.' })).rejects.toThrow(
      /postgres:\/\/.*redis:\/\/u:\*\*\*@h/,
    );
    await expect(
      openOrderStore({ databaseUrl: 'postgres://u@h/db', dataDir: '.', pgSchema: 'x; drop table orders' }),
    ).rejects.toThrow(/pgSchema/);
  });
});

describe('order cursors', () => {
  it('read back what they were made of', () => {
    const cursor = { createdAt: 1_760_000_000_123, id: 'ord_abc' };
    expect(decodeOrderCursor(encodeOrderCursor(cursor))).toEqual(cursor);
  });
});

describe('driver errors', () => {
  it('a unique violation and a lost race are told apart in every dialect', () => {
    for (const error of [
      { code: '23505' },
      { code: 'ER_DUP_ENTRY', errno: 1062 },
      { code: 'SQLITE_CONSTRAINT_UNIQUE' },
    ]) {
      expect([isUniqueViolation(error), isTransient(error)]).toEqual([true, false]);
    }
    for (const error of [
      { code: '40P01' },
      { code: '40001' },
      { errno: 1213 },
      { errno: 1205 },
      { code: 'SQLITE_BUSY' },
    ]) {
      expect([isUniqueViolation(error), isTransient(error)]).toEqual([false, true]);
    }
    expect([isUniqueViolation(new Error('x')), isTransient(null)]).toEqual([false, false]);
  });
});

describe('the SQLite statement cache', () => {
  it('prepares each query text once, never hands out a statement in the middle of an iteration, and keeps at most its size', () => {
    const raw = new Database(':memory:');
    let prepared = 0;
    const prepare = raw.prepare.bind(raw);
    raw.prepare = ((sql: string) => {
      prepared++;
      return prepare(sql);
    }) as typeof raw.prepare;
    const db = withStatementCache(raw, 2);
    db.prepare('create table t (x integer)').run([]);
    for (let i = 0; i < 5; i++) db.prepare('insert into t (x) values (?)').run([i]);
    expect(prepared).toBe(2);
    expect(db.prepare('select count(*) as n from t').all([])).toEqual([{ n: 5 }]);

    // While one iteration of a query is open, the same text gets a statement of its own.
    const rows = db.prepare('select x from t order by x').iterate([]);
    expect(rows.next().value).toEqual({ x: 0 });
    expect(db.prepare('select x from t order by x').all([])).toHaveLength(5);
    expect([...rows].map((r) => (r as { x: number }).x)).toEqual([1, 2, 3, 4]);

    // Size 2: the least recently used text was dropped and is prepared again.
    const before = prepared;
    db.prepare('insert into t (x) values (?)').run([9]);
    expect(prepared).toBe(before + 1);
    db.close();
  });
});
