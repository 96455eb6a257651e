/**
 * Rotates the admission tokens' signing keys with overlap (docs/SECURITY.md):
 *
 *   npm run rotate-keys                       # a new Ed25519 key signs; the old ones still verify
 *   npm run rotate-keys -- --publish-only     # publish a new key first (verify-only, listed first)
 *   npm run rotate-keys -- --promote          # later: the published key signs from now on
 *   npm run rotate-keys -- --prune [--max-ttl <seconds>] [--keep <n>]
 *   npm run rotate-keys -- --list
 *
 * It edits DATA_DIR/signing-keys.json (mode 0600), or the file `--file <path>` names (a copy
 * of SIGNING_KEYS to put back into the secret store). Running servers read the keys at start:
 * restart every instance after a change. It prints key ids only, never private material.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureDataDir, writeSecretFile } from '../security/data-files.js';
import { applyRotation, parseKeyFile, type RotationStep, serializeKeys } from '../security/key-rotation.js';
import { KEYS_FILE, KeyConfigError } from '../security/signing-keys.js';
import { loadSettings, SettingsError } from '../settings.js';

const USAGE = [
  'usage: npm run rotate-keys [-- --file <path>]                 add a new signing key (the old ones keep verifying)',
  '       npm run rotate-keys -- --publish-only [--file <path>]  add a new key that only verifies, for now',
  '       npm run rotate-keys -- --promote [--file <path>]       let the published key sign',
  '       npm run rotate-keys -- --prune [--max-ttl <seconds>] [--keep <n>] [--file <path>]',
  '       npm run rotate-keys -- --list [--file <path>]',
].join('\n');

class UsageError extends Error {}

interface Output {
  out: (text: string) => void;
  err: (text: string) => void;
}

function parseStep(args: string[]): { step: RotationStep | { kind: 'list' }; file: string | undefined } {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      allowPositionals: false,
      options: {
        'publish-only': { type: 'boolean' },
        promote: { type: 'boolean' },
        prune: { type: 'boolean' },
        list: { type: 'boolean' },
        'max-ttl': { type: 'string' },
        keep: { type: 'string' },
        file: { type: 'string' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const chosen = (['publish-only', 'promote', 'prune', 'list'] as const).filter((k) => values[k] === true);
  if (chosen.length > 1) throw new UsageError(`choose one of --${chosen.join(', --')}`);
  const kind = chosen[0] ?? 'rotate';
  if (kind !== 'prune' && (values['max-ttl'] !== undefined || values.keep !== undefined)) {
    throw new UsageError('--max-ttl and --keep go with --prune');
  }
  const count = (name: string, min: number): number | undefined => {
    const text = values[name];
    if (text === undefined) return undefined;
    if (typeof text !== 'string' || !/^[0-9]{1,9}$/.test(text) || Number(text) < min) {
      throw new UsageError(`--${name} must be a whole number of at least ${min}`);
    }
    return Number(text);
  };
  const file = typeof values.file === 'string' ? values.file : undefined;
  if (kind === 'prune') {
    const maxTtlSeconds = count('max-ttl', 0);
    const keep = count('keep', 1);
    return {
      step: {
        kind,
        ...(maxTtlSeconds === undefined ? {} : { maxTtlSeconds }),
        ...(keep === undefined ? {} : { keep }),
      },
      file,
    };
  }
  return { step: { kind }, file };
}

/** The command itself; `env` as process.env; returns the exit code. */
export async function runRotateKeys(
  args: string[],
  env: Record<string, string | undefined>,
  output: Output,
  now = Date.now(),
): Promise<number> {
  let parsed: ReturnType<typeof parseStep>;
  try {
    parsed = parseStep(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    output.err(`rotate-keys: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  let path: string;
  if (parsed.file !== undefined) {
    path = resolve(parsed.file);
  } else {
    const settings = loadSettings(env);
    if (settings.signingKeys !== undefined) {
      output.err(
        'rotate-keys: SIGNING_KEYS is set, so the server does not read DATA_DIR/signing-keys.json. ' +
          'Copy the secret to a private file, run this command with --file <that file>, and store the result as SIGNING_KEYS again.\n',
      );
      return 1;
    }
    ensureDataDir(settings.dataDir);
    path = resolve(settings.dataDir, KEYS_FILE);
  }
  if (!existsSync(path)) {
    output.err(`rotate-keys: ${path} does not exist (a first start of the server creates it)\n`);
    return 1;
  }
  const keys = parseKeyFile(readFileSync(path, 'utf8'), path);
  const { step } = parsed;
  if (step.kind === 'list') {
    const { report } = await applyRotation(
      keys,
      { kind: 'prune', maxTtlSeconds: Number.MAX_SAFE_INTEGER },
      now,
    );
    output.out(listing(report.keys));
    return 0;
  }
  let applied: Awaited<ReturnType<typeof applyRotation>>;
  try {
    applied = await applyRotation(keys, step, now);
  } catch (error) {
    if (!(error instanceof KeyConfigError)) throw error;
    output.err(`rotate-keys: ${error.message}\n`);
    return 1;
  }
  const { keys: next, report } = applied;
  writeSecretFile(dirname(path), basename(path), serializeKeys(next));
  if (report.added) output.out(`added ${report.added}\n`);
  if (report.promoted)
    output.out(`promoted ${report.promoted}: it signs new admission tokens from the next restart\n`);
  if (report.retired) output.out(`retired ${report.retired}: it keeps verifying until pruned\n`);
  for (const kid of report.pruned) output.out(`pruned ${kid}: its tokens no longer verify\n`);
  if (step.kind === 'prune' && report.pruned.length === 0) output.out('nothing to prune\n');
  for (const warning of report.warnings) output.err(`rotate-keys: warning: ${warning}\n`);
  output.out(listing(report.keys));
  output.out(`wrote ${path}; restart every server instance to use it\n`);
  return 0;
}

function listing(keys: Awaited<ReturnType<typeof applyRotation>>['report']['keys']): string {
  return `keys (the last one signs):\n${keys
    .map((k) => `  ${k.kid}  ${k.role}${k.retiredAt ? `, retired ${k.retiredAt}` : ''}\n`)
    .join('')}`;
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  runRotateKeys(process.argv.slice(2), process.env, {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  }).then(
    (code) => process.exit(code),
    (error: unknown) => {
      const message =
        error instanceof SettingsError || error instanceof KeyConfigError
          ? error.message
          : `failed: ${(error as Error).message ?? error}`;
      process.stderr.write(`rotate-keys: ${message}\n`);
      process.exit(1);
    },
  );
}
