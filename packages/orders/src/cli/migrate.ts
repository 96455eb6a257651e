/**
 * Brings the order database up to date, as the server does at every start:
 *
 *   npm run migrate                                  # SQLite in DATA_DIR (default ./data)
 *   DATABASE_URL=postgres://… npm run migrate
 *
 * Prints the migrations it applied; on failure, one line and a non-zero exit. Never prints the
 * database password.
 */
import { describeDatabase, openOrderStore } from '../open.js';

async function main(): Promise<string> {
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const dataDir = process.env.DATA_DIR || './data';
  const where = describeDatabase(databaseUrl, dataDir);
  let store: Awaited<ReturnType<typeof openOrderStore>> | null = null;
  try {
    store = await openOrderStore({ databaseUrl, dataDir });
    const applied = await store.runMigrations();
    return applied.length === 0 ? `${where}: already up to date` : `${where}: applied ${applied.join(', ')}`;
  } catch (error) {
    throw new Error(`could not migrate ${where}: ${reasonOf(error, databaseUrl)}`);
  } finally {
    await store?.close().catch(() => {});
  }
}

/** The first line of the error, with the URL's password taken out should a driver have echoed it. */
function reasonOf(error: unknown, databaseUrl: string | undefined): string {
  const message = error instanceof Error ? error.message : String(error);
  let line = message.split('\n', 1)[0] || 'unknown error';
  if (databaseUrl !== undefined && URL.canParse(databaseUrl)) {
    const { password } = new URL(databaseUrl);
    if (password !== '') {
      line = line.split(databaseUrl).join(describeDatabase(databaseUrl));
      for (const form of new Set([password, decodeURIComponent(password)]))
        line = line.split(`:${form}@`).join(':***@');
    }
  }
  return line;
}

main().then(
  (line) => {
    process.stdout.write(`migrate: ${line}\n`);
    process.exit(0);
  },
  (error: unknown) => {
    process.stderr.write(`migrate: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
