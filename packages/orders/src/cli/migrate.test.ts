import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('./migrate.ts', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'waitroom-migrate-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Runs the CLI as `npm run migrate` does, with only these variables. */
async function migrate(
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', cli], {
      env: { PATH: process.env.PATH ?? '', ...env },
      timeout: 20_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('npm run migrate', () => {
  it('applies the migrations once, then finds the database up to date', async () => {
    const first = await migrate({ DATA_DIR: dataDir });
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(/orders\.sqlite: applied 001_initial, 002_operator_access\n$/);
    const second = await migrate({ DATA_DIR: dataDir });
    expect(second.stdout).toMatch(/already up to date\n$/);
  });

  it('fails with one line and a non-zero exit when the database does not answer, never showing the password', async () => {
    const outcome = await migrate({ DATABASE_URL: 'postgres://shop:hunter2@127.0.0.1:1/orders' });
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toBe('');
    expect(outcome.stderr).toMatch(
      /^migrate: could not migrate postgres:\/\/shop:\*\*\*@127\.0\.0\.1:1\/orders: .+\n$/,
    );
    expect(outcome.stderr).not.toContain('hunter2');
  });
});
