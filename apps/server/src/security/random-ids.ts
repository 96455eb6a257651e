import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 12 * 1024;

/**
 * Unguessable ids from the system's random source, drawn from a pooled buffer: one
 * `getrandom` call per thousand ids instead of one per join.
 */
export function randomIdSource(bytesPerId = 12): () => string {
  const pool = Buffer.alloc(POOL_BYTES - (POOL_BYTES % bytesPerId));
  let offset = pool.length;
  return () => {
    if (offset >= pool.length) {
      randomFillSync(pool);
      offset = 0;
    }
    const id = pool.toString('base64url', offset, offset + bytesPerId);
    offset += bytesPerId;
    return id;
  };
}
