import { randomBytes } from 'node:crypto';
import { withDefaults } from '@waitroom/core';
import { afterAll, describe, expect, it } from 'vitest';
import { connectRedis } from './connect.js';
import { RedisQueueStore } from './redis-queue-store.js';
import { deleteKeys } from './testing/delete-keys.js';
import { redisUrl, requireRedis } from './testing/redis-available.js';

const available = await requireRedis();
const keyPrefix = `wrtest:${randomBytes(4).toString('hex')}:`;

/**
 * A room written before the store kept its gaps (layout 1: a Fenwick tree in `fw`, no `gp`,
 * no `lv` in the room's hash) gets its gaps from the records at its first read, and then reads
 * the same positions as a room made with the gaps.
 */
describe.skipIf(!available)('a room of the earlier Redis layout', () => {
  afterAll(async () => {
    const client = await connectRedis(redisUrl());
    await deleteKeys(client, keyPrefix);
    client.disconnect();
  });

  it('is given its gaps at its first read, and reads the positions it had', async () => {
    const client = await connectRedis(redisUrl());
    const store = new RedisQueueStore({ client, keyPrefix });
    try {
      const t0 = Date.now();
      const roomId = `upgrade-${randomBytes(4).toString('hex')}`;
      await store.createRoom(withDefaults({ id: roomId, name: 'Upgrade' }), t0);
      const ids = Array.from({ length: 12 }, (_, k) => `u${k + 1}`);
      for (const id of ids) await store.join(roomId, { ticketId: id, now: t0, predictor: null });
      // A gap the head passes (u2), one at the head (u4) and more further on (u7, u8, u11).
      await store.leave(roomId, 'u2', t0 + 1);
      const admitted = await store.admit(roomId, 2, t0 + 2);
      expect(admitted.ok && admitted.ticketIds).toEqual(['u1', 'u3']);
      for (const id of ['u4', 'u7', 'u8', 'u11']) await store.leave(roomId, id, t0 + 3);
      const before = await store.readTickets(roomId, ids, { now: t0 + 4, touch: false });

      // Back to how the earlier layout kept it: no gaps, no layout mark, a tree in `fw`.
      const base = `${keyPrefix}{${roomId}}:`;
      await client.del(`${base}gp`);
      await client.hdel(`${base}m`, 'lv');
      await client.set(`${base}fw`, 'a tree of the earlier layout');

      const after = await store.readTickets(roomId, ids, { now: t0 + 4, touch: false });
      expect(after).toEqual(before);
      expect(after.map((t) => t?.position ?? null)).toEqual([
        null,
        null,
        null,
        null,
        1,
        2,
        null,
        null,
        3,
        4,
        null,
        5,
      ]);
      expect(await client.hget(`${base}m`, 'lv')).toBe('2');
      expect(await client.exists(`${base}fw`)).toBe(0);
      // The gaps from the head on, and none the head has passed (u2 is behind it).
      expect(await client.zrange(`${base}gp`, 0, -1)).toEqual(['4', '7', '8', '11']);

      // And the line goes on as before: the next admission skips the gaps.
      const next = await store.admit(roomId, 3, t0 + 5);
      expect(next.ok && next.ticketIds).toEqual(['u5', 'u6', 'u9']);
      expect((await store.readTicket(roomId, 'u12', { now: t0 + 6, touch: false }))?.position).toBe(2);
    } finally {
      await store.close();
    }
  });
  it('upgrades a line longer than one look-up (a thousand ranks) to the same positions', async () => {
    const client = await connectRedis(redisUrl());
    const store = new RedisQueueStore({ client, keyPrefix });
    try {
      const t0 = Date.now();
      const roomId = `upgrade-long-${randomBytes(4).toString('hex')}`;
      await store.createRoom(withDefaults({ id: roomId, name: 'Upgrade' }), t0);
      const ids = Array.from({ length: 2500 }, (_, k) => `l${k + 1}`);
      await Promise.all(ids.map((id) => store.join(roomId, { ticketId: id, now: t0, predictor: null })));
      await Promise.all(ids.filter((_, k) => k % 7 === 3).map((id) => store.leave(roomId, id, t0 + 1)));
      await store.admit(roomId, 100, t0 + 2);
      const before = await store.readTickets(roomId, ids, { now: t0 + 3, touch: false });
      const base = `${keyPrefix}{${roomId}}:`;
      const gaps = await client.zcard(`${base}gp`);
      await client.del(`${base}gp`);
      await client.hdel(`${base}m`, 'lv');

      expect(await store.readTickets(roomId, ids, { now: t0 + 3, touch: false })).toEqual(before);
      expect(await client.zcard(`${base}gp`)).toBe(gaps);
      expect(before.filter((t) => t?.position != null).length).toBe((await store.getRoom(roomId))?.waiting);
    } finally {
      await store.close();
    }
  });
  it('upgrades a drawn lottery, whose ranks name join numbers far apart, to the same positions', async () => {
    const client = await connectRedis(redisUrl());
    const store = new RedisQueueStore({ client, keyPrefix });
    try {
      const t0 = Date.now();
      const opensAt = t0 + 1000;
      const roomId = `upgrade-lottery-${randomBytes(4).toString('hex')}`;
      const settings = withDefaults({
        id: roomId,
        name: 'Upgrade',
        queueMode: 'lottery',
        opensAt: new Date(opensAt).toISOString(),
      });
      await store.createRoom(settings, t0, 'seed');
      const ids = Array.from({ length: 300 }, (_, k) => `p${k + 1}`);
      await Promise.all(ids.map((id) => store.join(roomId, { ticketId: id, now: t0, predictor: null })));
      expect(await store.drawLottery(roomId, opensAt)).toEqual({ drawn: true, size: 300 });
      // A few drawn tickets left at the end of the line, their join numbers scattered over 300.
      await store.admit(roomId, 290, opensAt + 1);
      const waiting = (await store.readTickets(roomId, ids, { now: opensAt + 2, touch: false }))
        .filter((t) => t?.state === 'waiting')
        .map((t) => t!.ticketId);
      expect(waiting).toHaveLength(10);
      await store.leave(roomId, waiting[3]!, opensAt + 2);
      await store.leave(roomId, waiting[7]!, opensAt + 2);
      const before = await store.readTickets(roomId, ids, { now: opensAt + 3, touch: false });
      expect(
        before
          .filter((t) => t?.position != null)
          .map((t) => t!.position)
          .sort((x, y) => x! - y!),
      ).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      const base = `${keyPrefix}{${roomId}}:`;
      await client.del(`${base}gp`);
      await client.hdel(`${base}m`, 'lv');

      expect(await store.readTickets(roomId, ids, { now: opensAt + 3, touch: false })).toEqual(before);
      expect(await client.zcard(`${base}gp`)).toBe(2);
    } finally {
      await store.close();
    }
  });
});
