import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type JournalRecord, MemoryQueueStore, withDefaults } from '@waitroom/core';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { FileJournal, journalLine } from './file-journal.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'waitroom-journal-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const join1 = (id: string): JournalRecord => ({ k: 'join', r: 'room', id, at: 1, pre: false, pw: null });
const journalText = (dir: string) => {
  const name = readdirSync(dir).find((n) => n.startsWith('journal-'));
  return name ? readFileSync(join(dir, name), 'utf8') : '';
};

describe('the embedded journal', () => {
  it('writes the changes of one turn of the event loop together, and says when they are written', async () => {
    const dir = tempDir();
    const journal = new FileJournal(dir);
    journal.compact([]);
    expect(journal.written()).toBeNull();
    journal.append(join1('a'));
    journal.append(join1('b'));
    const written = journal.written();
    expect(written).not.toBeNull();
    expect(journalText(dir)).toBe('');
    await written;
    expect(journalText(dir).trim().split('\n')).toHaveLength(2);
    expect(journal.written()).toBeNull();
    journal.close();
  });

  it('replays the latest snapshot then its journal, skipping a line torn by a crash', async () => {
    const dir = tempDir();
    const first = new FileJournal(dir);
    first.compact([join1('snap')]);
    first.append(join1('after'));
    await first.written();
    const name = readdirSync(dir).find((n) => n.startsWith('journal-'))!;
    appendFileSync(join(dir, name), '{"k":"join","r":"room","id":"torn"');
    const ids = [...new FileJournal(dir).read()].map((r) => (r.k === 'join' ? r.id : r.k));
    expect(ids).toEqual(['snap', 'after']);
  });

  it('keeps one generation: a compaction removes the files it replaces', async () => {
    const dir = tempDir();
    const journal = new FileJournal(dir);
    journal.compact([join1('one')]);
    journal.append(join1('two'));
    await journal.written();
    journal.compact([join1('one'), join1('two')]);
    journal.close();
    expect(readdirSync(dir).sort()).toEqual(['journal-2.ndjson', 'snapshot-2.ndjson']);
    expect([...new FileJournal(dir).read()]).toHaveLength(2);
  });
});

describe('a journal line', () => {
  it('is what JSON.stringify writes, for every join record and for odd ones', () => {
    const plain = fc.stringMatching(/^[A-Za-z0-9_-]{0,24}$/);
    const joins = fc.record({
      k: fc.constant('join' as const),
      r: fc.oneof(plain, fc.string()),
      id: fc.oneof(plain, fc.string({ unit: 'binary' })),
      at: fc.oneof(fc.integer({ min: 0, max: 2 ** 53 }), fc.double()),
      pre: fc.boolean(),
      pw: fc.oneof(fc.constant(null), fc.double(), fc.integer()),
    });
    fc.assert(
      fc.property(joins, (record) => {
        expect(journalLine(record)).toBe(JSON.stringify(record));
      }),
      { numRuns: 5000 },
    );
    const other: JournalRecord = { k: 'leave', r: 'room', id: 'a', at: 2 } as unknown as JournalRecord;
    expect(journalLine(other)).toBe(JSON.stringify(other));
  });

  it('is what JSON.stringify writes for the join records the store itself makes', async () => {
    const records: JournalRecord[] = [];
    const store = new MemoryQueueStore({ journal: { append: (r: JournalRecord) => records.push(r) } });
    const settings = withDefaults({ id: 'line-room', name: 'Line room', admitRatePerMinute: 60 });
    await store.createRoom(settings, 1_000);
    for (let i = 0; i < 20; i++) {
      await store.join('line-room', { ticketId: `t-${i}_x`, now: 1_000 + i, predictor: null });
      await store.join('line-room', {
        ticketId: `p${i}`,
        now: 2_000 + i,
        predictor: { perSecond: 0.5 + i, abandonPerSecond: 0.01 * i, delaySeconds: i / 3 },
      });
    }
    const joins = records.filter((r) => r.k === 'join');
    expect(joins).toHaveLength(40);
    for (const record of joins) expect(journalLine(record)).toBe(JSON.stringify(record));
  });
});
