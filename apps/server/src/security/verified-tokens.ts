import { base64urlDigit, QUEUE_TOKEN_PREFIX, type QueueTokenClaims } from '@waitroom/core';

/**
 * The queue tokens a server has already found genuine, so that a shopper who polls pays the
 * HMAC once, not at every read. A `Map` keyed by the token's text did this at the cost of a
 * handful of scattered places in memory per lookup (the bucket, the entry, the key's text,
 * the claims and the ticket id they hold), each a cache miss when tens of thousands of
 * shoppers poll in turn. Here a token is held as numbers in one 64-byte entry of a typed
 * array, found at the place its MAC's first characters point to (the MAC is already a
 * uniform hash): a lookup reads one entry, and a token is taken only when every character
 * of its room, ticket, expiry and MAC is the same as those of a token found genuine before.
 * Nothing is cached of a token whose parts do not fit an entry (a ticket id over 20
 * characters, an expiry written with a leading zero or over 10 digits): it is checked with
 * the HMAC every time, as before.
 *
 * Bounded: entries go into the current generation; when it holds `limit`, it becomes the
 * previous one and the one before is dropped. A token found in the previous generation is
 * copied into the current one, so a shopper who keeps polling stays remembered.
 */
export class VerifiedTokens {
  private current: Int32Array;
  private previous: Int32Array;
  /** The same bytes as Float64 (the expiry, in seconds, at float 7 of an entry). */
  private currentExp: Float64Array;
  private previousExp: Float64Array;
  private count = 0;
  private readonly mask: number;
  /** Each room's number in the entries, for the rooms whose tokens were remembered. */
  private readonly rooms = new Map<string, number>();
  /** The parts of the token being looked up or added (one at a time: no call is reentrant). */
  private readonly parts = new Int32Array(ENTRY_WORDS);
  private partsExp = 0;

  /** `limit`: the tokens a generation holds (so between `limit` and twice that are remembered). */
  constructor(private readonly limit: number) {
    let slots = 1024;
    while (slots < 2 * limit) slots *= 2;
    this.mask = slots - 1;
    this.current = new Int32Array(slots * ENTRY_WORDS);
    this.previous = new Int32Array(slots * ENTRY_WORDS);
    this.currentExp = new Float64Array(this.current.buffer);
    this.previousExp = new Float64Array(this.previous.buffer);
  }

  /**
   * The claims of `token` if it was added before (it is the text of a token found genuine)
   * and names `roomId`; null otherwise (a token never added, or one for another room).
   */
  find(token: string, roomId: string): QueueTokenClaims | null {
    const room = this.rooms.get(roomId);
    if (room === undefined) return null;
    const ticketEnd = this.parse(token, roomId, room);
    if (ticketEnd < 0) return null;
    let at = this.slotIn(this.current, this.currentExp);
    if (at < 0) {
      at = this.slotIn(this.previous, this.previousExp);
      if (at < 0) return null;
      this.insert();
    }
    return { sub: token.slice(ticketStartIn(roomId), ticketEnd), rid: roomId, exp: this.partsExp };
  }

  /** Remembers `token`, found genuine, for `claims.rid`, if its parts fit an entry. */
  add(token: string, claims: QueueTokenClaims): void {
    let room = this.rooms.get(claims.rid);
    if (room === undefined) {
      if (this.rooms.size >= MAX_ROOMS) return;
      room = this.rooms.size;
      this.rooms.set(claims.rid, room);
    }
    if (this.parse(token, claims.rid, room) < 0) return;
    if (this.slotIn(this.current, this.currentExp) < 0) this.insert();
  }

  /**
   * Reads `token` into `parts` (MAC, ticket, meta) and `partsExp`; returns where its ticket
   * id ends, or -1 when the token is not `q1.<roomId>.<ticket>.<exp>.<mac>` with parts that
   * fit an entry.
   */
  private parse(token: string, roomId: string, room: number): number {
    const roomStart = QUEUE_TOKEN_PREFIX.length + 1;
    const ticketStart = ticketStartIn(roomId);
    if (
      token.length < ticketStart ||
      !token.startsWith(QUEUE_TOKEN_PREFIX) ||
      token.charCodeAt(roomStart - 1) !== DOT ||
      !token.startsWith(roomId, roomStart) ||
      token.charCodeAt(ticketStart - 1) !== DOT
    ) {
      return -1;
    }
    const ticketEnd = token.indexOf('.', ticketStart);
    const ticketLength = ticketEnd - ticketStart;
    if (ticketLength < 1 || ticketLength > MAX_TICKET) return -1;
    const expEnd = token.indexOf('.', ticketEnd + 1);
    const expLength = expEnd - ticketEnd - 1;
    // Up to 10 base-36 digits is exact in a double; a leading zero is never issued.
    if (expLength < 1 || expLength > 10 || token.charCodeAt(ticketEnd + 1) === ZERO) return -1;
    if (token.length - expEnd - 1 !== MAC_LENGTH) return -1;
    const parts = this.parts;
    // The MAC, five characters of six bits to a word: words 0 to 8.
    if (!pack(token, expEnd + 1, MAC_LENGTH, parts, 0)) return -1;
    // The ticket id: words TICKET to META - 1, the unused ones zero.
    parts.fill(0, TICKET, META);
    if (!pack(token, ticketStart, ticketLength, parts, TICKET)) return -1;
    let exp = 0;
    for (let k = ticketEnd + 1; k < expEnd; k++) {
      const digit = BASE36[token.charCodeAt(k)] ?? -1;
      if (digit < 0) return -1;
      exp = exp * 36 + digit;
    }
    parts[META] = 1 | (ticketLength << 1) | (room << 6);
    this.partsExp = exp;
    return ticketEnd;
  }

  /** The slot of `parts` in `table`, or -1; ends where an empty slot shows it is not there. */
  private slotIn(table: Int32Array, exps: Float64Array): number {
    const parts = this.parts;
    const meta = parts[META]!;
    for (let slot = parts[0]! & this.mask; ; slot = (slot + 1) & this.mask) {
      const base = slot * ENTRY_WORDS;
      const held = table[base + META]!;
      if (held === 0) return -1;
      if (
        held === meta &&
        exps[slot * ENTRY_FLOATS + EXP_FLOAT] === this.partsExp &&
        sameWords(table, base, parts)
      ) {
        return slot;
      }
    }
  }

  /** Puts `parts` into the current generation (not there yet), turning generations when full. */
  private insert(): void {
    if (this.count >= this.limit) {
      this.previous = this.current;
      this.previousExp = this.currentExp;
      // A fresh table (its pages zeroed by the system as they are first written) rather than
      // the dropped one wiped at once.
      this.current = new Int32Array(this.previous.length);
      this.currentExp = new Float64Array(this.current.buffer);
      this.count = 0;
    }
    const table = this.current;
    let slot = this.parts[0]! & this.mask;
    while (table[slot * ENTRY_WORDS + META] !== 0) slot = (slot + 1) & this.mask;
    table.set(this.parts.subarray(0, META + 1), slot * ENTRY_WORDS);
    this.currentExp[slot * ENTRY_FLOATS + EXP_FLOAT] = this.partsExp;
    this.count++;
  }
}

/** Int32 words of an entry: MAC 0-8, ticket id 9-12, META 13, the expiry as float 7 (14-15). */
const ENTRY_WORDS = 16;
const ENTRY_FLOATS = ENTRY_WORDS / 2;
const TICKET = 9;
const META = 13;
const EXP_FLOAT = 7;
const MAC_LENGTH = 43;
const MAX_TICKET = 20;
/** Rooms numbered in META's upper bits (above the occupied bit and the ticket id's length). */
const MAX_ROOMS = 1 << 25;
const DOT = 46;
const ZERO = 48;

/** [0-9a-z] character code → its value; -1 for any other character. */
const BASE36 = new Int8Array(128).fill(-1);
'0123456789abcdefghijklmnopqrstuvwxyz'.split('').forEach((c, i) => {
  BASE36[c.charCodeAt(0)] = i;
});

/**
 * Packs `length` base64url characters of `text` from `start` into words of `into` from
 * `word`, five of six bits to a word; false if one is not base64url. (Texts of one length
 * give the same words only when they are the same; the ticket id's length is in META.)
 */
function pack(text: string, start: number, length: number, into: Int32Array, word: number): boolean {
  let w = word;
  for (let k = 0; k < length; k += 5) {
    let value = 0;
    const end = Math.min(k + 5, length);
    for (let j = k; j < end; j++) {
      const digit = base64urlDigit(text, start + j);
      if (digit < 0) return false;
      value = (value << 6) | digit;
    }
    into[w++] = value;
  }
  return true;
}

/** Whether the MAC and ticket words are the same; every word compared, whatever differs first. */
function sameWords(table: Int32Array, base: number, parts: Int32Array): boolean {
  let differ = 0;
  for (let k = 0; k < META; k++) differ |= table[base + k]! ^ parts[k]!;
  return differ === 0;
}

/** Where the ticket id starts in a queue token for `roomId`: after `q1.<roomId>.`. */
function ticketStartIn(roomId: string): number {
  return QUEUE_TOKEN_PREFIX.length + roomId.length + 2;
}
