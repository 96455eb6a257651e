import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createSecretFileOnce, readSecretFile, writeSecretFile } from './data-files.js';

const HASH_FILE = 'admin-token.sha256';

export interface AdminCredential {
  /** SHA-256 of the operator's token; the token itself is never kept. */
  hash: Buffer;
  /** Set only on the first start without ADMIN_TOKEN: the new token, to print once. */
  generated: string | null;
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * The operator's token: from ADMIN_TOKEN, or generated on first start and kept only as a
 * hash in the data folder. A 256-bit random token needs no slow hash: guessing it is the
 * same work as guessing its SHA-256.
 */
export function loadAdminCredential(dataDir: string, adminToken: string | undefined): AdminCredential {
  if (adminToken !== undefined) return { hash: sha256(adminToken), generated: null };
  const stored = readSecretFile(dataDir, HASH_FILE);
  if (stored !== null && /^[0-9a-f]{64}$/.test(stored.trim())) {
    return { hash: Buffer.from(stored.trim(), 'hex'), generated: null };
  }
  const token = `wr_admin_${randomBytes(32).toString('base64url')}`;
  const hash = sha256(token);
  if (stored !== null) {
    writeSecretFile(dataDir, HASH_FILE, `${hash.toString('hex')}\n`); // replaces a damaged file
    return { hash, generated: token };
  }
  // Instances starting together on one data folder: the first one's token wins, and only it
  // prints its token.
  const placed = createSecretFileOnce(dataDir, HASH_FILE, `${hash.toString('hex')}\n`);
  if (!placed.created) return { hash: Buffer.from(placed.content.trim(), 'hex'), generated: null };
  return { hash, generated: token };
}

/** Compares a presented token with the stored hash in constant time. */
export function isAdminToken(credential: AdminCredential, presented: string): boolean {
  return timingSafeEqual(sha256(presented), credential.hash);
}
