import type { RoomCounters } from '../queue-store.js';
import type { RoomSettings } from '../room.js';

/** How a ticket left the line, as journalled. */
export type EndKind = 'left' | 'abandoned' | 'completed' | 'admission-expired';

/**
 * One change to the embedded store's state. Replaying the records in order rebuilds the
 * state: a restart keeps every ticket's place. A snapshot is the same records, written
 * afresh (`ticket` records in line order) so that the journal does not grow for ever.
 */
export type JournalRecord =
  /** `seed`: the lottery seed the room holds (absent in journals from before it was held). */
  | { k: 'room'; room: RoomSettings; createdAt: number; updatedAt: number; seed?: string | null }
  | { k: 'join'; r: string; id: string; at: number; pre: boolean; pw: number | null }
  | { k: 'admit'; r: string; ids: string[]; at: number; exp: number }
  | { k: 'end'; r: string; ids: string[]; how: EndKind; at: number }
  /** `ids`: the tickets ranked, in the drawn order (empty in old snapshots, which gave `size`). */
  | { k: 'draw'; r: string; seed: string; ids: string[]; at: number; size?: number }
  | { k: 'counters'; r: string; counters: RoomCounters }
  | {
      k: 'ticket';
      r: string;
      id: string;
      st: number;
      pre: boolean;
      j: number;
      a: number | null;
      e: number | null;
      end: number | null;
      pw: number | null;
    };

/** Where the embedded store writes its changes (the server provides a file). */
export interface Journal {
  append(record: JournalRecord): void;
  /**
   * Null when everything appended is written; otherwise a promise that settles once it is.
   * A journal may buffer appends and write them together (group commit).
   */
  written?(): Promise<void> | null;
}
