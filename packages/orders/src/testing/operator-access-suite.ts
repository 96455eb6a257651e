import type { AuditEntry, ControlStore } from '../control-types.js';
import type { SuiteContext } from './suite-context.js';

/** Operator keys and the audit log: made, found, revoked and listed the same on every database. */
export function operatorAccessSuite(ctx: SuiteContext): void {
  const { describe, it, expect } = ctx.t;
  const control = (n = 0): ControlStore => ctx.instance(n).control;
  const by = (actor = 'command') => ({ actor, now: Date.now() });

  /** The newest audit records about one key (the database is shared with other tests). */
  async function recordsOfKey(keyId: string): Promise<AuditEntry[]> {
    const { entries } = await control().listAudit({ limit: 50 });
    return entries.filter((entry) => entry.details.keyId === keyId);
  }

  describe('operator keys', () => {
    it('a new key is shown once; the store finds it by its secret and lists it without the secret', async () => {
      const made = await control().createOperatorKey({ name: 'dashboard', scope: 'read' }, by());
      expect(made.id).toMatch(/^ok_[a-z0-9]{10}$/);
      expect(made.key).toMatch(/^wrk_[A-Za-z0-9_-]{43}$/);
      expect(made.operatorKey).toMatchObject({
        id: made.id,
        name: 'dashboard',
        scope: 'read',
        revokedAt: null,
        lastUsedAt: null,
      });

      expect(await control().findOperatorKey(made.key)).toEqual(made.operatorKey);
      const listed = (await control().listOperatorKeys()).find((key) => key.id === made.id);
      expect(listed).toEqual(made.operatorKey);
      const everything = JSON.stringify(await control().listOperatorKeys());
      expect(everything).not.toContain(made.key);
      expect(everything).not.toContain(made.key.slice(4));
      expect(everything).not.toMatch(/[0-9a-f]{64}/);
    });

    it('unknown, malformed and look-alike secrets find nothing', async () => {
      const made = await control().createOperatorKey({ name: 'ops', scope: 'write' }, by());
      const other = `wrk_${'A'.repeat(43)}`;
      for (const secret of [
        other,
        '',
        'wrk_',
        made.key.slice(0, -1),
        `${made.key}x`,
        made.key.toLowerCase(),
      ]) {
        if (secret === made.key) continue;
        expect(await control().findOperatorKey(secret), secret).toBeNull();
      }
      expect(await control().findOperatorKey(made.key)).toMatchObject({ id: made.id, scope: 'write' });
    });

    it('keys have distinct ids and secrets, and keep their own scope', async () => {
      const keys = await Promise.all(
        Array.from({ length: 10 }, (_, n) =>
          control(n).createOperatorKey({ name: `key ${n}`, scope: n % 2 === 0 ? 'read' : 'write' }, by()),
        ),
      );
      expect(new Set(keys.map((k) => k.id)).size).toBe(10);
      expect(new Set(keys.map((k) => k.key)).size).toBe(10);
      for (const [n, made] of keys.entries()) {
        expect(await control().findOperatorKey(made.key)).toMatchObject({
          name: `key ${n}`,
          scope: n % 2 === 0 ? 'read' : 'write',
        });
      }
    });

    it('a key without a name or with an unknown scope is refused with INVALID_REQUEST and not made', async () => {
      const before = (await control().listOperatorKeys()).length;
      for (const input of [
        { name: '', scope: 'read' },
        { name: '   ', scope: 'read' },
        { name: 'x'.repeat(101), scope: 'read' },
        { name: 'line\nbreak', scope: 'read' },
        { name: 'ok', scope: 'admin' },
      ]) {
        await expect(
          control().createOperatorKey(input as { name: string; scope: 'read' }, by()),
        ).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
      }
      expect(await control().listOperatorKeys()).toHaveLength(before);
    });

    it('a revoked key is found no more, by any instance, and stays listed with the time of its revocation', async () => {
      const made = await control().createOperatorKey({ name: 'leaked', scope: 'write' }, by());
      expect(await control(1).findOperatorKey(made.key)).not.toBeNull();

      const outcome = await control().revokeOperatorKey(made.id, by());
      expect(outcome).toMatchObject({ found: true, revokedNow: true, key: { id: made.id } });
      for (let n = 0; n < 3; n++) expect(await control(n).findOperatorKey(made.key)).toBeNull();
      const listed = (await control().listOperatorKeys()).find((key) => key.id === made.id);
      expect(Date.parse(listed?.revokedAt ?? '')).not.toBeNaN();

      const again = await control().revokeOperatorKey(made.id, by());
      expect(again).toMatchObject({ found: true, revokedNow: false, key: { revokedAt: listed?.revokedAt } });
      expect(await control().revokeOperatorKey('ok_nosuchkey0', by())).toEqual({ found: false });
    });

    it('making and revoking a key are in the audit log, with who did it, never the secret', async () => {
      const made = await control().createOperatorKey({ name: 'ci', scope: 'read' }, by('command'));
      await control().revokeOperatorKey(made.id, { ...by('admin'), requestId: 'req-1' });
      await control().revokeOperatorKey(made.id, by('admin')); // already revoked: no record
      const records = await recordsOfKey(made.id);
      expect(records.map((r) => [r.action, r.actor, r.requestId])).toEqual([
        ['operator-key.revoke', 'admin', 'req-1'],
        ['operator-key.create', 'command', null],
      ]);
      expect(records[1]?.details).toEqual({ keyId: made.id, name: 'ci', scope: 'read' });
      expect(JSON.stringify(records)).not.toContain(made.key.slice(4));
    });

    it('records when a key was last used, to the minute', async () => {
      const made = await control().createOperatorKey({ name: 'poller', scope: 'read' }, by());
      const t0 = Date.now();
      expect((await control().findOperatorKey(made.key, t0))?.lastUsedAt).toBe(new Date(t0).toISOString());
      await control().findOperatorKey(made.key, t0 + 30_000);
      const listed = async () => (await control().listOperatorKeys()).find((key) => key.id === made.id);
      expect((await listed())?.lastUsedAt).toBe(new Date(t0).toISOString());
      await control().findOperatorKey(made.key, t0 + 61_000);
      expect((await listed())?.lastUsedAt).toBe(new Date(t0 + 61_000).toISOString());
    });
  });

  describe('the audit log', () => {
    it('lists a room’s records newest first, with what was written', async () => {
      const roomId = ctx.roomId('audit');
      const at = Date.now();
      await control().appendAudit({
        at,
        actor: 'admin',
        action: 'room.create',
        roomId,
        details: { admitRatePerMinute: 60, name: 'Spring sale' },
        requestId: 'r1',
      });
      await control().appendAudit({ at: at + 1, actor: 'key:ok_x:ops', action: 'room.update', roomId });
      await control().appendAudit({
        at: at + 2,
        actor: 'admin',
        action: 'room.update',
        roomId: ctx.roomId('x'),
      });
      const { entries, nextCursor } = await control().listAudit({ roomId, limit: 10 });
      expect(nextCursor).toBeNull();
      expect(entries).toEqual([
        {
          id: expect.any(Number),
          at: new Date(at + 1).toISOString(),
          actor: 'key:ok_x:ops',
          action: 'room.update',
          roomId,
          details: {},
          requestId: null,
        },
        {
          id: expect.any(Number),
          at: new Date(at).toISOString(),
          actor: 'admin',
          action: 'room.create',
          roomId,
          details: { admitRatePerMinute: 60, name: 'Spring sale' },
          requestId: 'r1',
        },
      ]);
      expect(entries[0]!.id).toBeGreaterThan(entries[1]!.id);
    });

    it('pages with no record twice and none missed, while new records keep coming', async () => {
      const roomId = ctx.roomId('audit-pages');
      const at = Date.now();
      // Every record in the same millisecond: the order is the log's own, not the clock's.
      for (let n = 0; n < 23; n++) {
        await control().appendAudit({ at, actor: 'admin', action: 'room.admit', roomId, details: { n } });
      }
      const seen: number[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await control().listAudit({ roomId, limit: 5, cursor });
        seen.push(...page.entries.map((entry) => entry.details.n as number));
        cursor = page.nextCursor;
        pages++;
        await control().appendAudit({
          at,
          actor: 'admin',
          action: 'room.admit',
          roomId,
          details: { late: 1 },
        });
      } while (cursor !== null && pages < 10);
      expect(pages).toBe(5);
      expect(seen).toEqual(Array.from({ length: 23 }, (_, n) => 22 - n));
    });

    it('records written at once by several instances are all kept, each once', async () => {
      const roomId = ctx.roomId('audit-race');
      await Promise.all(
        Array.from({ length: 40 }, (_, n) =>
          control(n).appendAudit({
            at: Date.now(),
            actor: 'admin',
            action: 'room.admit',
            roomId,
            details: { n },
          }),
        ),
      );
      const { entries } = await control().listAudit({ roomId, limit: 100 });
      expect(entries.map((e) => e.details.n as number).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 40 }, (_, n) => n),
      );
      expect(new Set(entries.map((e) => e.id)).size).toBe(40);
    });

    it('refuses a cursor it did not make and a limit out of range with INVALID_REQUEST', async () => {
      for (const cursor of ['garbage', Buffer.from('audit:-1').toString('base64url'), '%00']) {
        await expect(control().listAudit({ limit: 5, cursor })).rejects.toMatchObject({
          code: 'INVALID_REQUEST',
        });
      }
      for (const limit of [0, 501, 1.5]) {
        await expect(control().listAudit({ limit })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
      }
    });

    it('keeps a summary too long as a note of its size', async () => {
      const roomId = ctx.roomId('audit-long');
      await control().appendAudit({
        at: Date.now(),
        actor: 'admin',
        action: 'products.put',
        roomId,
        details: { ids: 'x'.repeat(20_000) },
      });
      const { entries } = await control().listAudit({ roomId, limit: 1 });
      expect(entries[0]?.details).toEqual({ truncated: true, chars: expect.any(Number) });
    });
  });
}
