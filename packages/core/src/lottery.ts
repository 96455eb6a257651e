import { createHash } from 'node:crypto';

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
