import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { JWK } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { runRotateKeys } from '../src/cli/rotate-keys.js';
import { applyRotation, DEFAULT_MAX_TTL_SECONDS, type StoredKey } from '../src/security/key-rotation.js';
import { cleanUp, DAY_SECONDS, expectError, startServer, type TestServer, tempDataDir } from './helper.js';
import { admittedBuyers, placeOrder } from './support/orders.js';

afterEach(cleanUp);

const items = [{ productId: 'tee', quantity: 1 }];
const kidOf = (token: string) =>
  (JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { kid: string }).kid;

async function rotate(dataDir: string, ...args: string[]): Promise<{ code: number; printed: string }> {
  let printed = '';
  const capture = (text: string) => {
    printed += text;
  };
  const code = await runRotateKeys(args, { DATA_DIR: dataDir }, { out: capture, err: capture });
  return { code, printed };
}

function storedKeys(dataDir: string): StoredKey[] {
  return (JSON.parse(readFileSync(join(dataDir, 'signing-keys.json'), 'utf8')) as { keys: StoredKey[] }).keys;
}

async function jwksKids(server: TestServer): Promise<string[]> {
  const res = await server.request<{ keys: JWK[] }>('GET', '/.well-known/jwks.json');
  expect(res.status).toBe(200);
  for (const key of res.body.keys) expect(key.d).toBeUndefined();
  return res.body.keys.map((k) => k.kid!);
}

async function openSale(dataDir: string, create: boolean): Promise<TestServer> {
  const server = await startServer({ dataDir });
  if (create) {
    await server.createRoom({
      id: 'sale',
      name: 'Sale',
      admitRatePerMinute: 0,
      heartbeatTimeoutSeconds: DAY_SECONDS,
      admissionTtlSeconds: 3600,
    });
    const put = await server.admin('PUT', '/api/admin/rooms/sale/products', {
      products: [{ id: 'tee', name: 'Tee', priceCents: 2500, currency: 'EUR', stock: 100 }],
    });
    expect(put.status).toBe(200);
  }
  return server;
}

/** Asserts that no private member of any key in the file appears in `printed`. */
function expectNoPrivateMaterial(printed: string, dataDir: string): void {
  expect(printed).not.toMatch(/"d"\s*:/);
  for (const key of storedKeys(dataDir)) expect(printed).not.toContain(key.d);
}

describe('npm run rotate-keys', () => {
  it('adds a signing key; tokens of the old one still verify after a restart; JWKS lists both; prune ends them', async () => {
    const dataDir = await tempDataDir();
    let server = await openSale(dataDir, true);
    const [early, late] = await admittedBuyers(server, 'sale', 2);
    const oldKid = kidOf(early!.admissionToken);
    const oldKey = storedKeys(dataDir)[0]!;
    await server.close();

    const rotated = await rotate(dataDir);
    expect(rotated.code).toBe(0);
    const keys = storedKeys(dataDir);
    expect(keys).toHaveLength(2);
    const newKid = keys[1]!.kid!;
    expect(keys[0]!.kid).toBe(oldKid);
    expect(keys[0]!.retiredAt).toEqual(expect.any(String));
    expect(rotated.printed).toContain(`added ${newKid}`);
    expect(rotated.printed).toContain(`retired ${oldKid}`);
    expectNoPrivateMaterial(rotated.printed, dataDir);
    expect(rotated.printed).not.toContain(oldKey.d);
    expect(statSync(join(dataDir, 'signing-keys.json')).mode & 0o777).toBe(0o600);

    server = await openSale(dataDir, false);
    expect(await jwksKids(server)).toEqual([oldKid, newKid]);
    // A token signed before the rotation still buys.
    expect((await placeOrder(server, early!, items)).status).toBe(201);
    // New tokens carry the new kid.
    const fresh = await server.status('sale', late!.queueToken);
    expect(kidOf(fresh.admissionToken!)).toBe(newKid);
    await server.close();

    const pruned = await rotate(dataDir, '--prune', '--keep', '1');
    expect(pruned.code).toBe(0);
    expect(pruned.printed).toContain(`pruned ${oldKid}`);
    expectNoPrivateMaterial(pruned.printed, dataDir);
    expect(pruned.printed).not.toContain(oldKey.d);

    server = await openSale(dataDir, false);
    expect(await jwksKids(server)).toEqual([newKid]);
    // A token of the pruned key no longer verifies; one of the current key does.
    expectError(
      await placeOrder(server, { ...late!, admissionToken: late!.admissionToken }, items),
      401,
      'INVALID_TOKEN',
    );
    expect(
      (await placeOrder(server, { ...late!, admissionToken: fresh.admissionToken! }, items)).status,
    ).toBe(201);
  });

  it('publishes a key first (verify-only, listed first) and promotes it later to sign', async () => {
    const dataDir = await tempDataDir();
    let server = await openSale(dataDir, true);
    const [buyer] = await admittedBuyers(server, 'sale', 1);
    const oldKid = kidOf(buyer!.admissionToken);
    await server.close();

    const published = await rotate(dataDir, '--publish-only');
    expect(published.code).toBe(0);
    const newKid = storedKeys(dataDir)[0]!.kid!;
    expect(storedKeys(dataDir).map((k) => k.kid)).toEqual([newKid, oldKid]);
    expectNoPrivateMaterial(published.printed, dataDir);

    server = await openSale(dataDir, false);
    expect(await jwksKids(server)).toEqual([newKid, oldKid]);
    // Still signed with the old key: the new one is only published.
    expect(kidOf((await server.status('sale', buyer!.queueToken)).admissionToken!)).toBe(oldKid);
    await server.close();

    const promoted = await rotate(dataDir, '--promote');
    expect(promoted.code).toBe(0);
    expect(promoted.printed).toContain(`promoted ${newKid}`);
    expect(promoted.printed).toContain('less than 5 minutes'); // the shops' JWKS cache
    expectNoPrivateMaterial(promoted.printed, dataDir);
    expect(storedKeys(dataDir).map((k) => k.kid)).toEqual([oldKid, newKid]);

    server = await openSale(dataDir, false);
    expect(await jwksKids(server)).toEqual([oldKid, newKid]);
    expect(kidOf((await server.status('sale', buyer!.queueToken)).admissionToken!)).toBe(newKid);
    // The token signed by the old key before the promotion still buys.
    expect((await placeOrder(server, buyer!, items)).status).toBe(201);

    expect((await rotate(dataDir, '--promote')).code).not.toBe(0); // nothing left to promote
  });

  it('refuses bad usage and a data folder without keys', async () => {
    const dataDir = await tempDataDir();
    expect((await rotate(dataDir)).code).toBe(1);
    expect((await rotate(dataDir, '--prune', '--promote')).code).toBe(2);
    expect((await rotate(dataDir, '--keep', '2')).code).toBe(2);
    expect((await rotate(dataDir, '--prune', '--keep', 'x')).code).toBe(2);
    const withEnv = await runRotateKeys(
      [],
      { DATA_DIR: dataDir, SIGNING_KEYS: '{"d":"x"}' },
      { out: () => {}, err: () => {} },
    );
    expect(withEnv).toBe(1);
  });
});

describe('pruning by age', () => {
  it('removes a key only once the longest admission TTL has passed since it stopped signing', async () => {
    const start = Date.parse('2026-11-26T12:00:00Z');
    const first = await applyRotation([], { kind: 'rotate' }, start);
    const second = await applyRotation(first.keys, { kind: 'rotate' }, start + 1000);
    const [oldKid, newKid] = second.keys.map((k) => k.kid);
    const third = await applyRotation(second.keys, { kind: 'publish-only' }, start + 2000);
    const pendingKid = third.keys[0]!.kid;

    const tooSoon = await applyRotation(
      third.keys,
      { kind: 'prune' },
      start + 1000 + DEFAULT_MAX_TTL_SECONDS * 1000,
    );
    expect(tooSoon.report.pruned).toEqual([]);
    const later = await applyRotation(
      third.keys,
      { kind: 'prune' },
      start + 2000 + DEFAULT_MAX_TTL_SECONDS * 1000,
    );
    expect(later.report.pruned).toEqual([oldKid]);
    // The signer and the key waiting for promotion always stay.
    expect(later.keys.map((k) => k.kid)).toEqual([pendingKid, newKid]);

    const shortTtl = await applyRotation(
      third.keys,
      { kind: 'prune', maxTtlSeconds: 600 },
      start + 1000 + 601_000,
    );
    expect(shortTtl.report.pruned).toEqual([oldKid]);
  });
});
