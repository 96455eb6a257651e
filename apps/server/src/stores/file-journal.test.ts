import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JournalRecord } from '@waitroom/core';
import { afterEach, describe, expect, it } from 'vitest';
import { FileJournal } from './file-journal.js';

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
