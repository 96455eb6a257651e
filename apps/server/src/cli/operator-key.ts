/**
 * Named operator keys beside ADMIN_TOKEN, each with a scope: `read` (look only) or `write`:
 *
 *   npm run operator-key -- create --name dashboard --scope read
 *   npm run operator-key -- revoke ok_…
 *   npm run operator-key -- list
 *
 * It reads DATABASE_URL and DATA_DIR like the server, whose database keeps the keys (only a
 * hash of each) and the audit log, where each creation and revocation is recorded with the
 * actor `command`. A key's secret is printed once, on creation, and never again. A revoked
 * key is refused by every server instance from its next call.
 */
import { parseArgs } from 'node:util';
import { InvalidRequestError } from '@waitroom/core';
import { type OperatorKey, type OperatorScope, openOrderStore } from '@waitroom/orders';
import { loadSettings, SettingsError } from '../settings.js';

const USAGE = [
  'usage: npm run operator-key -- create --name <name> --scope read|write',
  '       npm run operator-key -- revoke <key id>',
  '       npm run operator-key -- list',
].join('\n');

const ACTOR = 'command';

class UsageError extends Error {}

type Command =
  | { kind: 'create'; name: string; scope: OperatorScope }
  | { kind: 'revoke'; id: string }
  | { kind: 'list' };

function parseCommand(args: string[]): Command {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(args);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const [kind, ...rest] = positionals;
  if (kind === 'create' && rest.length === 0) {
    if (values.name === undefined) throw new UsageError('create needs --name');
    if (values.scope !== 'read' && values.scope !== 'write')
      throw new UsageError('--scope must be read or write');
    return { kind, name: values.name, scope: values.scope };
  }
  if (values.name !== undefined || values.scope !== undefined)
    throw new UsageError(`${kind} takes no options`);
  if (kind === 'revoke' && rest.length === 1 && rest[0]) return { kind, id: rest[0] };
  if (kind === 'list' && rest.length === 0) return { kind };
  throw new UsageError(
    kind === undefined ? 'a command is required' : `cannot understand '${args.join(' ')}'`,
  );
}

function parseOptions(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: { name: { type: 'string' }, scope: { type: 'string' } },
  });
}

async function main(): Promise<number> {
  let command: Command;
  try {
    command = parseCommand(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`operator-key: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  const settings = loadSettings(process.env);
  const orders = await openOrderStore({ databaseUrl: settings.databaseUrl, dataDir: settings.dataDir });
  try {
    await orders.migrate();
    const control = orders.control;
    switch (command.kind) {
      case 'create': {
        const made = await control.createOperatorKey(
          { name: command.name, scope: command.scope },
          { actor: ACTOR, now: Date.now() },
        );
        process.stdout.write(
          `Created operator key ${made.id} "${made.operatorKey.name}" (${made.operatorKey.scope}).\n` +
            'Its secret, shown this once (only a hash of it is kept):\n' +
            `${made.key}\n`,
        );
        return 0;
      }
      case 'revoke': {
        const outcome = await control.revokeOperatorKey(command.id, { actor: ACTOR, now: Date.now() });
        if (!outcome.found) {
          process.stderr.write(`operator-key: no operator key ${command.id}\n`);
          return 1;
        }
        const { key } = outcome;
        process.stdout.write(
          outcome.revokedNow
            ? `Revoked operator key ${key.id} "${key.name}" (${key.scope}): refused from its next call.\n`
            : `Operator key ${key.id} "${key.name}" was already revoked at ${key.revokedAt}.\n`,
        );
        return 0;
      }
      case 'list':
        process.stdout.write(table(await control.listOperatorKeys()));
        return 0;
    }
  } finally {
    await orders.close();
  }
}

/** The keys as an aligned table: never a secret, which is not kept anyway. */
function table(keys: readonly OperatorKey[]): string {
  if (keys.length === 0) return 'No operator keys.\n';
  const rows = [
    ['id', 'name', 'scope', 'created', 'revoked', 'last used'],
    ...keys.map((k) => [k.id, k.name, k.scope, k.createdAt, k.revokedAt ?? '-', k.lastUsedAt ?? '-']),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  return rows
    .map(
      (row) =>
        `${row
          .map((cell, c) => cell.padEnd(widths[c]!))
          .join('  ')
          .trimEnd()}\n`,
    )
    .join('');
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message =
      error instanceof SettingsError || error instanceof InvalidRequestError
        ? `operator-key: ${error.message}`
        : `operator-key: failed: ${(error as Error).message ?? error}`;
    process.stderr.write(`${message}\n`);
    process.exit(1);
  },
);
