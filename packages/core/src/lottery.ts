import { createHash } from 'node:crypto';
import type { DrawnLottery, RoomState } from './queue-store.js';

/**
 * The lottery's order is a pure function of a seed and the pre-queue's ticket ids: tickets
 * sorted by SHA-256(seed + ":" + ticketId), lowest first. Publishing the seed (and, before
 * the draw, a hash of it) lets anyone recompute the order and see it was not chosen by hand.
 */
export function drawKey(seed: string, ticketId: string): string {
  return createHash('sha256').update(`${seed}:${ticketId}`).digest('hex');
}

export function lotteryOrder(seed: string, ticketIds: readonly string[]): string[] {
  const keyed = ticketIds.map((id) => ({ id, key: drawKey(seed, id) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map((k) => k.id);
}

/** The public commitment to a seed, published while the room is still scheduled. */
export function seedCommitment(seed: string): string {
  return createHash('sha256').update(seed).digest('hex');
}

/** What anyone may know of a room's lottery (docs/SECURITY.md, "A lottery anyone can check"). */
export interface PublicLottery {
  /** SHA-256 (hex) of the secret seed, published from the moment the room is a lottery. */
  commitment: string;
  drawn: boolean;
  /** Once drawn: when (ISO 8601). */
  drawnAt?: string;
  /** Once drawn: the seed, which anyone can hash to the commitment. */
  seed?: string;
}

/** A drawn lottery as published: enough to recompute its order. */
export interface PublishedDraw {
  roomId: string;
  commitment: string;
  /** ISO 8601. */
  drawnAt: string;
  seed: string;
  /** The pre-queue the draw was made over, sorted by ticket id (UTF-16 code units). */
  ticketIds: string[];
  /** The order drawn, which must equal lotteryOrder(seed, ticketIds). */
  order: string[];
}

/**
 * A room's lottery as the public sees it: the commitment while the seed is secret, and the
 * seed once a draw has used it. Null for a room that is not a lottery and has never drawn.
 */
export function publicLottery(state: RoomState): PublicLottery | null {
  const commitment = state.lotteryCommitment;
  if (commitment === null) return null;
  const draw = state.lottery;
  // Drawn with the seed held: a rescheduled room holds a new seed, secret again.
  if (draw === null || seedCommitment(draw.seed) !== commitment) {
    return state.settings.queueMode === 'lottery' ? { commitment, drawn: false } : null;
  }
  return { commitment, drawn: true, drawnAt: new Date(draw.drawnAt).toISOString(), seed: draw.seed };
}

export function publishDraw(roomId: string, draw: DrawnLottery): PublishedDraw {
  return {
    roomId,
    commitment: seedCommitment(draw.seed),
    drawnAt: new Date(draw.drawnAt).toISOString(),
    seed: draw.seed,
    ticketIds: [...draw.order].sort(),
    order: draw.order,
  };
}
