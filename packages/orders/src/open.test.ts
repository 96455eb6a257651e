import { describe, expect, it } from 'vitest';
import { isTransient, isUniqueViolation } from './database-errors.js';
import { describeDatabase, dialectOf, openOrderStore } from './open.js';
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
