/** A room's settings, as the operator sets them (CONTRACT.md, "A room's settings"). */
export type QueueMode = 'fifo' | 'lottery';
export type RoomStatusSetting = 'open' | 'paused' | 'closed';
/** What a shopper sees: `scheduled` is `open` before `opensAt`. */
export type RoomPublicStatus = 'scheduled' | RoomStatusSetting;

export interface RoomSettings {
  id: string;
  name: string;
  /** ISO 8601, or null to open at once. */
  opensAt: string | null;
  admitRatePerMinute: number;
  maxActive: number | null;
  admissionTtlSeconds: number;
  heartbeatTimeoutSeconds: number;
  queueMode: QueueMode;
  status: RoomStatusSetting;
  /** Each join must carry a solved proof-of-work challenge (ALTCHA): a cost per join for scripts. */
  requireChallenge: boolean;
}

export type RoomSettingsPatch = Partial<Omit<RoomSettings, 'id'>>;

export type NewRoom = Pick<RoomSettings, 'id' | 'name'> & RoomSettingsPatch;

export const ROOM_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

export const ROOM_DEFAULTS: Omit<RoomSettings, 'id' | 'name'> = {
  opensAt: null,
  admitRatePerMinute: 600,
  maxActive: null,
  admissionTtlSeconds: 600,
  heartbeatTimeoutSeconds: 60,
  queueMode: 'fifo',
  status: 'open',
  requireChallenge: false,
};

/** The limits every room setting must respect; the HTTP schemas use the same numbers. */
export const ROOM_LIMITS = {
  nameMaxLength: 200,
  admitRatePerMinuteMax: 1_000_000,
  maxActiveMax: 100_000_000,
  admissionTtlSecondsMin: 10,
  admissionTtlSecondsMax: 7 * 24 * 3600,
  heartbeatTimeoutSecondsMin: 5,
  heartbeatTimeoutSecondsMax: 24 * 3600,
} as const;

export function withDefaults(input: NewRoom): RoomSettings {
  return { ...ROOM_DEFAULTS, ...stripUndefined(input) } as RoomSettings;
}

export function applyPatch(room: RoomSettings, patch: RoomSettingsPatch): RoomSettings {
  return { ...room, ...stripUndefined(patch), id: room.id };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v !== undefined) (out as Record<string, unknown>)[key] = v;
  }
  return out;
}

export function opensAtMs(room: RoomSettings): number | null {
  return room.opensAt === null ? null : Date.parse(room.opensAt);
}

/** True while the room is `open` but its opening time has not come. */
export function isScheduled(room: RoomSettings, now: number): boolean {
  const at = opensAtMs(room);
  return room.status === 'open' && at !== null && now < at;
}

export function publicStatus(room: RoomSettings, now: number): RoomPublicStatus {
  return isScheduled(room, now) ? 'scheduled' : room.status;
}

/**
 * True before `opensAt`, whatever the status: a lottery's pre-queue is everyone who joined
 * before then, also while the room was paused.
 */
export function beforeOpening(room: RoomSettings, now: number): boolean {
  const at = opensAtMs(room);
  return at !== null && now < at;
}
