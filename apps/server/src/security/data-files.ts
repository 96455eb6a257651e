import { existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The data folder: created private to the server's user. */
export function ensureDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
}

/** Reads a secret file of the data folder, or null when there is none. */
export function readSecretFile(dataDir: string, name: string): string | null {
  const path = join(dataDir, name);
  return existsSync(path) ? readFileSync(path, 'utf8') : null;
}

/** Writes a secret file readable by the server's user only (mode 0600), atomically. */
export function writeSecretFile(dataDir: string, name: string, content: string): void {
  const path = join(dataDir, name);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, content, { mode: 0o600 });
  renameSync(tmp, path);
}

/**
 * Creates a secret file unless it exists, atomically: when several instances sharing a data
 * folder start at once, the first one's file wins and every one of them uses it. Returns the
 * file's content and whether this call created it.
 */
export function createSecretFileOnce(
  dataDir: string,
  name: string,
  content: string,
): { content: string; created: boolean } {
  const path = join(dataDir, name);
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, content, { mode: 0o600 });
  try {
    linkSync(tmp, path); // fails with EEXIST when another process got there first
    return { content, created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return { content: readFileSync(path, 'utf8'), created: false };
  } finally {
    rmSync(tmp, { force: true });
  }
}
