import { type RoomSettings, type RoomSettingsPatch, withDefaults } from '@waitroom/core';
import type { SuiteContext } from './suite-context.js';

export function roomsSuite(ctx: SuiteContext): void {
  const { describe, it, expect } = ctx.t;

  describe('rooms', () => {
    it('a new room keeps the settings it was created with and starts empty', async () => {
      const t0 = Date.now();
      const settings: RoomSettings = withDefaults({
        id: ctx.roomId('create'),
        name: 'Spring sale',
        admitRatePerMinute: 120,
        maxActive: 50,
        admissionTtlSeconds: 300,
        heartbeatTimeoutSeconds: 30,
      });
      const outcome = await ctx.store().createRoom(settings, t0);
      expect(outcome.ok).toBe(true);
      if (!outcome.ok) return;
      expect(outcome.room.settings).toEqual(settings);
      expect(outcome.room).toMatchObject({
        createdAt: t0,
        updatedAt: t0,
        waiting: 0,
        preQueue: 0,
        active: 0,
        lottery: null,
      });
      expect(outcome.room.counters).toEqual({
        joinedTotal: 0,
        admittedTotal: 0,
        abandonedTotal: 0,
        leftTotal: 0,
        completedTotal: 0,
        admissionsExpiredTotal: 0,
      });
      expect(await ctx.store().getRoom(settings.id)).toEqual(outcome.room);
    });

    it('creating a room whose id is taken is refused with ROOM_EXISTS and changes nothing', async () => {
      const t0 = Date.now();
      const first = await ctx.room('taken', { admitRatePerMinute: 60 }, t0);
      const again = await ctx
        .store()
        .createRoom({ ...first, name: 'Someone else', admitRatePerMinute: 1 }, t0 + 5);
      expect(again).toEqual({ ok: false, reason: 'ROOM_EXISTS' });
      const room = await ctx.store().getRoom(first.id);
      expect(room?.settings).toEqual(first);
      expect(room?.createdAt).toBe(t0);
    });

    it('an unknown room reads as null', async () => {
      expect(await ctx.store().getRoom(ctx.roomId('nowhere'))).toBeNull();
      expect(await ctx.store().updateRoom(ctx.roomId('nowhere'), { name: 'x' }, Date.now())).toBeNull();
    });

    it('updating a room changes only the settings named, keeps its id and its line', async () => {
      const t0 = Date.now();
      const before = await ctx.room('update', { admitRatePerMinute: 60 }, t0);
      await ctx.joinMany(before.id, 2, t0 + 1);
      const updated = await ctx
        .store()
        .updateRoom(
          before.id,
          { name: 'Renamed', admitRatePerMinute: 30, maxActive: 7, status: 'paused' },
          t0 + 10,
        );
      expect(updated?.settings).toEqual({
        ...before,
        name: 'Renamed',
        admitRatePerMinute: 30,
        maxActive: 7,
        status: 'paused',
      });
      expect(updated?.createdAt).toBe(t0);
      expect(updated?.updatedAt).toBe(t0 + 10);
      expect(updated?.waiting).toBe(2);
      expect(await ctx.store().getRoom(before.id)).toEqual(updated);
    });

    it('the proof-of-work switch is off by default and kept when set at creation or later', async () => {
      const t0 = Date.now();
      const plain = await ctx.room('challenge-off', {}, t0);
      expect(plain.requireChallenge).toBe(false);
      expect((await ctx.store().getRoom(plain.id))?.settings.requireChallenge).toBe(false);

      const guarded = await ctx.room('challenge-on', { requireChallenge: true }, t0);
      expect((await ctx.store().getRoom(guarded.id))?.settings).toEqual(guarded);
      expect(guarded.requireChallenge).toBe(true);

      const off = await ctx.store().updateRoom(guarded.id, { requireChallenge: false }, t0 + 1);
      expect(off?.settings).toEqual({ ...guarded, requireChallenge: false });
      const on = await ctx.store().updateRoom(plain.id, { requireChallenge: true }, t0 + 2);
      expect((await ctx.store().getRoom(plain.id))?.settings).toEqual({ ...plain, requireChallenge: true });
      expect(on?.settings.requireChallenge).toBe(true);
    });

    it('a patch cannot move a room to another id', async () => {
      const t0 = Date.now();
      const before = await ctx.room('keep-id', {}, t0);
      const sneaky = { name: 'x', id: 'elsewhere' } as RoomSettingsPatch;
      const updated = await ctx.store().updateRoom(before.id, sneaky, t0 + 1);
      expect(updated?.settings.id).toBe(before.id);
    });

    it('the list of rooms holds every room created, each as getRoom reads it', async () => {
      const t0 = Date.now();
      const a = await ctx.room('list-a', {}, t0);
      const b = await ctx.room('list-b', { queueMode: 'lottery' }, t0);
      await ctx.joinMany(a.id, 3, t0);
      const listed = await ctx.store().listRooms();
      for (const id of [a.id, b.id]) {
        const mine = listed.filter((room) => room.settings.id === id);
        expect(mine).toHaveLength(1);
        expect(mine[0]).toEqual(await ctx.store().getRoom(id));
      }
      expect(listed.find((room) => room.settings.id === a.id)?.waiting).toBe(3);
    });

    it('the store answers a ping', async () => {
      await expect(ctx.store().ping()).resolves.toBeUndefined();
      expect(ctx.store().kind).toMatch(/\S/);
    });
  });
}
