import { ROOM_ID_PATTERN, ROOM_LIMITS } from '@waitroom/core';
import { Type } from 'typebox';
import { Nullable } from './common.js';
import { LotteryStateBody } from './lottery.js';

export const PublicRoomBody = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    status: Type.Enum(['scheduled', 'open', 'paused', 'closed']),
    opensAt: Nullable(Type.String({ format: 'date-time' })),
    waiting: Type.Integer({ minimum: 0 }),
    admitRatePerMinute: Type.Number({ minimum: 0 }),
    estimatedWaitSeconds: Nullable(Type.Integer({ minimum: 0 })),
    lottery: Nullable(LotteryStateBody),
    requireChallenge: Type.Boolean({
      description: 'A join must carry a solved proof-of-work challenge (GET /api/rooms/{roomId}/challenge)',
    }),
  },
  { title: 'PublicRoom' },
);

const settingFields = {
  name: Type.String({ minLength: 1, maxLength: ROOM_LIMITS.nameMaxLength }),
  opensAt: Nullable(Type.String({ format: 'date-time' })),
  admitRatePerMinute: Type.Number({ minimum: 0, maximum: ROOM_LIMITS.admitRatePerMinuteMax }),
  maxActive: Nullable(Type.Integer({ minimum: 1, maximum: ROOM_LIMITS.maxActiveMax })),
  admissionTtlSeconds: Type.Integer({
    minimum: ROOM_LIMITS.admissionTtlSecondsMin,
    maximum: ROOM_LIMITS.admissionTtlSecondsMax,
  }),
  heartbeatTimeoutSeconds: Type.Integer({
    minimum: ROOM_LIMITS.heartbeatTimeoutSecondsMin,
    maximum: ROOM_LIMITS.heartbeatTimeoutSecondsMax,
  }),
  queueMode: Type.Enum(['fifo', 'lottery']),
  status: Type.Enum(['open', 'paused', 'closed']),
  requireChallenge: Type.Boolean({
    description: 'Each join must carry a solved proof-of-work challenge (ALTCHA); default false',
  }),
};

export const RoomSettingsBody = Type.Object(
  { id: Type.String(), ...settingFields },
  { title: 'RoomSettings' },
);

/** A change of settings: any subset, nothing else. */
export const PatchRoomBody = Type.Partial(Type.Object(settingFields), { additionalProperties: false });

/** A new room: an id and a name; every other setting takes its default when left out. */
export const CreateRoomBody = Type.Object(
  {
    id: Type.String({ pattern: ROOM_ID_PATTERN.source }),
    ...PatchRoomBody.properties,
    name: settingFields.name,
  },
  { additionalProperties: false },
);

/** The operator's view of one room: its settings, and a lottery room's commitment. */
export const OperatorRoomBody = Type.Object(
  {
    ...RoomSettingsBody.properties,
    lottery: Type.Optional(LotteryStateBody),
  },
  { title: 'OperatorRoom' },
);

export const RoomListBody = Type.Object({ rooms: Type.Array(RoomSettingsBody) });

export const AdmitBody = Type.Object(
  { count: Type.Integer({ minimum: 1, maximum: 100_000 }) },
  { additionalProperties: false },
);

export const AdmitResultBody = Type.Object({ admitted: Type.Integer({ minimum: 0 }) });

export const RoomStatsBody = Type.Object(
  {
    waiting: Type.Integer(),
    active: Type.Integer(),
    joinedTotal: Type.Integer(),
    admittedTotal: Type.Integer(),
    abandonedTotal: Type.Integer(),
    completedTotal: Type.Integer(),
    leftTotal: Type.Integer(),
    admissionsExpiredTotal: Type.Integer(),
    inflowPerMinute: Type.Number(),
    outflowPerMinute: Type.Number(),
    plannedOutflowPerMinute: Type.Number({ description: 'The outflow the wait estimates plan with' }),
    outflowMeasured: Type.Boolean({ description: 'False while estimates use the configured rate' }),
    estimateAccuracy: Type.Object({
      samples: Type.Integer(),
      medianErrorRatio: Nullable(Type.Number({ description: 'median |predicted - actual| / actual' })),
      p90ErrorRatio: Nullable(Type.Number()),
    }),
  },
  { title: 'RoomStats' },
);
