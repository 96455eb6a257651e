import { randomFillSync } from 'node:crypto';

const ID_BYTES = 12; // 12 random bytes are 16 base64url characters, like the server's ids
const pool = Buffer.alloc(ID_BYTES * 4096);
let used = pool.length;

/** A fresh random ticket id, cut from a pool refilled 4,096 ids at a time. */
export function newTicketId(): string {
  if (used === pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  const id = pool.toString('base64url', used, used + ID_BYTES);
  used += ID_BYTES;
  return id;
}
