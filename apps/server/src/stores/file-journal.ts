import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { isBase64url, type Journal, type JournalRecord } from '@waitroom/core';

const SNAPSHOT = /^snapshot-(\d+)\.ndjson$/;

/**
 * The embedded store's durability: every change is appended, as one JSON line, to
 * `journal-<gen>.ndjson` before the call that made it returns; a start replays
 * `snapshot-<gen>.ndjson` then the journal, and writes a fresh snapshot of the next
 * generation. A snapshot only counts once renamed into place, so a crash at any moment
 * leaves either the old generation or the new one whole.
 *
 * Appends are gathered while the event loop turns and written together by one `write`
 * (group commit); the store answers a caller only once its change is written (`written`),
 * so a crash of the process loses nothing any caller was told of. `fsync` runs on
 * shutdown and compaction.
 */
export class FileJournal implements Journal {
  private fd: number | null = null;
  private generation: number;
  private pending: string[] = [];
  private flushing: Promise<void> | null = null;

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.generation = latestGeneration(dir);
  }

  /** The records of the latest generation: its snapshot, then its journal. */
  *read(): Generator<JournalRecord> {
    if (this.generation === 0) return;
    yield* readLines(join(this.dir, `snapshot-${this.generation}.ndjson`));
    yield* readLines(join(this.dir, `journal-${this.generation}.ndjson`));
  }

  /** Starts a new generation from `records` (the present state) and removes the old ones. */
  compact(records: Iterable<JournalRecord>): void {
    this.closeFile();
    const next = this.generation + 1;
    const path = join(this.dir, `snapshot-${next}.ndjson`);
    const tmp = `${path}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    let batch: string[] = [];
    for (const record of records) {
      batch.push(JSON.stringify(record));
      if (batch.length >= 4096) {
        writeSync(fd, `${batch.join('\n')}\n`);
        batch = [];
      }
    }
    if (batch.length > 0) writeSync(fd, `${batch.join('\n')}\n`);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, path);
    this.generation = next;
    this.fd = openSync(join(this.dir, `journal-${next}.ndjson`), 'a', 0o600);
    for (const name of readdirSync(this.dir)) {
      const m = /^(?:snapshot|journal)-(\d+)\.ndjson(?:\.tmp)?$/.exec(name);
      if (m && Number(m[1]) !== next) rmSync(join(this.dir, name), { force: true });
    }
  }

  append(record: JournalRecord): void {
    if (this.fd === null) throw new Error('the journal is not open');
    this.pending.push(journalLine(record));
    if (!this.flushing) {
      this.flushing = new Promise((resolve, reject) => {
        setImmediate(() => {
          this.flushing = null;
          try {
            this.flush();
            resolve();
          } catch (error) {
            reject(error);
          }
        });
      });
    }
  }

  written(): Promise<void> | null {
    return this.flushing;
  }

  /** Writes what was appended since the last write. */
  private flush(): void {
    if (this.pending.length === 0 || this.fd === null) return;
    const text = `${this.pending.join('\n')}\n`;
    this.pending = [];
    writeSync(this.fd, text);
  }

  close(): void {
    this.closeFile();
  }

  private closeFile(): void {
    this.flush();
    if (this.fd !== null) {
      fsyncSync(this.fd);
      closeSync(this.fd);
      this.fd = null;
    }
  }
}

/**
 * A record as its journal line: what `JSON.stringify` writes, byte for byte. A join, the
 * record a sale writes most (one per shopper), is written from a template when its strings
 * need no escaping, a third of what `JSON.stringify` costs it; any other record, or a join
 * with an odd string, goes to `JSON.stringify`.
 */
export function journalLine(record: JournalRecord): string {
  if (record.k === 'join') {
    const { r, id, at, pre, pw } = record;
    if (
      // Strings of these characters (ids, room ids) go into the line as they are.
      isBase64url(r) &&
      isBase64url(id) &&
      Number.isFinite(at) &&
      typeof pre === 'boolean' &&
      (pw === null || Number.isFinite(pw))
    ) {
      return `{"k":"join","r":"${r}","id":"${id}","at":${at},"pre":${pre},"pw":${pw}}`;
    }
  }
  return JSON.stringify(record);
}

function latestGeneration(dir: string): number {
  let latest = 0;
  for (const name of readdirSync(dir)) {
    const m = SNAPSHOT.exec(name);
    if (m) latest = Math.max(latest, Number(m[1]));
  }
  return latest;
}

/** Reads JSON lines in chunks; a torn last line (a crash mid-write) is skipped. */
function* readLines(path: string): Generator<JournalRecord> {
  if (!existsSync(path)) return;
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.alloc(1 << 20);
    let rest = '';
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      const text = rest + chunk.toString('utf8', 0, n);
      const lines = text.split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        const record = parse(line);
        if (record) yield record;
      }
    }
    const last = parse(rest);
    if (last) yield last;
  } finally {
    closeSync(fd);
  }
}

function parse(line: string): JournalRecord | null {
  if (line.trim() === '') return null;
  try {
    return JSON.parse(line) as JournalRecord;
  } catch {
    return null;
  }
}
