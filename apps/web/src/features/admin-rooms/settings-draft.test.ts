import { describe, expect, it } from 'vitest';
import type { RoomSettings } from '../../shared/api/types';
import { changesFrom, draftOf, readDraft } from './settings-draft';

const room: RoomSettings = {
  id: 'spring-sale',
  name: 'Spring sale',
  opensAt: null,
  admitRatePerMinute: 600,
  maxActive: null,
  admissionTtlSeconds: 600,
  heartbeatTimeoutSeconds: 60,
  queueMode: 'fifo',
  status: 'open',
  requireChallenge: false,
};

describe("a room's settings in the operator's form", () => {
  it("reads back a room's own settings unchanged, so saving it untouched changes nothing", () => {
    const { settings, errors } = readDraft(draftOf(room));
    expect(errors).toEqual({});
    expect(settings).toEqual(room);
    expect(changesFrom(room, settings)).toEqual({});
  });

  it('sends the proof-of-work switch alone when only it changed', () => {
    const draft = { ...draftOf(room), requireChallenge: true };
    expect(changesFrom(room, readDraft(draft).settings)).toEqual({ requireChallenge: true });
    expect(draftOf({ ...room, requireChallenge: true }).requireChallenge).toBe(true);
  });

  it('sends only the settings that changed, an empty cap as no cap', () => {
    const draft = { ...draftOf({ ...room, maxActive: 50 }), admitRatePerMinute: '120', maxActive: '' };
    expect(changesFrom({ ...room, maxActive: 50 }, readDraft(draft).settings)).toEqual({
      admitRatePerMinute: 120,
      maxActive: null,
    });
  });

  it('names each field that is not acceptable', () => {
    const draft = {
      ...draftOf(),
      id: 'Bad Id',
      name: ' ',
      admitRatePerMinute: '-1',
      maxActive: '0',
      admissionTtlSeconds: '5',
    };
    expect(Object.keys(readDraft(draft).errors).sort()).toEqual([
      'admissionTtlSeconds',
      'admitRatePerMinute',
      'id',
      'maxActive',
      'name',
    ]);
  });

  it('takes an opening time typed in local time as that instant', () => {
    const { settings } = readDraft({ ...draftOf(room), opensAt: '2030-05-01T09:30' });
    expect(settings.opensAt).toBe(new Date('2030-05-01T09:30').toISOString());
  });
});
