import { join } from 'node:path';
import { MemoryQueueStore } from '@waitroom/core';
import { FileJournal } from './file-journal.js';

/** The embedded default: the in-memory store, journalled to `DATA_DIR/queue`. */
export class EmbeddedQueueStore extends MemoryQueueStore {
  override readonly kind = 'embedded';
  private readonly file: FileJournal;
  private closed = false;

  private constructor(file: FileJournal) {
    super({ journal: file });
    this.file = file;
  }

  /** Opens the store, replaying what the last run left, and compacts the journal. */
  static open(dataDir: string, now: number): EmbeddedQueueStore {
    const file = new FileJournal(join(dataDir, 'queue'));
    const store = new EmbeddedQueueStore(file);
    store.restore(file.read(), now);
    file.compact(store.snapshot(now));
    return store;
  }

  override async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.file.compact(this.snapshot(Date.now()));
    this.file.close();
  }
}
