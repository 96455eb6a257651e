import type { RoomPatch, RoomSettings } from '../../shared/api/types';

/** A room's settings as the form holds them: text, as typed. */
export interface SettingsDraft {
  id: string;
  name: string;
  admitRatePerMinute: string;
  /** Empty: no cap. */
  maxActive: string;
  /** `datetime-local` text in this device's zone; empty: no opening time. */
  opensAt: string;
  queueMode: RoomSettings['queueMode'];
  status: RoomSettings['status'];
  admissionTtlSeconds: string;
  heartbeatTimeoutSeconds: string;
  /** Each join must carry a solved proof-of-work challenge. */
  requireChallenge: boolean;
}

export type DraftErrors = Partial<Record<keyof SettingsDraft, string>>;

const ROOM_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** ISO time → the `datetime-local` text of the same instant in this device's zone. */
export function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** `datetime-local` text → ISO time, or null for an empty field. */
export function fromLocalInput(text: string): string | null {
  if (text.trim() === '') return null;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** The form's text for a room, or the defaults of a new one (CONTRACT.md). */
export function draftOf(room?: RoomSettings): SettingsDraft {
  return {
    id: room?.id ?? '',
    name: room?.name ?? '',
    admitRatePerMinute: String(room?.admitRatePerMinute ?? 600),
    maxActive: room?.maxActive == null ? '' : String(room.maxActive),
    opensAt: toLocalInput(room?.opensAt ?? null),
    queueMode: room?.queueMode ?? 'fifo',
    status: room?.status ?? 'open',
    admissionTtlSeconds: String(room?.admissionTtlSeconds ?? 600),
    heartbeatTimeoutSeconds: String(room?.heartbeatTimeoutSeconds ?? 60),
    requireChallenge: room?.requireChallenge ?? false,
  };
}

function wholeNumber(text: string, min: number, max: number): number | null {
  if (!/^\d+$/.test(text.trim())) return null;
  const n = Number(text);
  return n >= min && n <= max ? n : null;
}

/** The settings the draft says, or what is wrong with it, field by field. */
export function readDraft(draft: SettingsDraft): { settings: RoomSettings; errors: DraftErrors } {
  const errors: DraftErrors = {};
  if (!ROOM_ID.test(draft.id))
    errors.id = 'Lower-case letters, digits and dashes; starts with a letter or digit.';
  if (draft.name.trim() === '') errors.name = 'Give the room a name shoppers will see.';
  const rate = Number(draft.admitRatePerMinute);
  if (draft.admitRatePerMinute.trim() === '' || !Number.isFinite(rate) || rate < 0 || rate > 1_000_000)
    errors.admitRatePerMinute = 'A number from 0 to 1,000,000.';
  const cap = draft.maxActive.trim() === '' ? null : wholeNumber(draft.maxActive, 1, 100_000_000);
  if (draft.maxActive.trim() !== '' && cap === null)
    errors.maxActive = 'A whole number from 1, or empty for no cap.';
  const opensAt = fromLocalInput(draft.opensAt);
  if (draft.opensAt.trim() !== '' && opensAt === null) errors.opensAt = 'A date and time, or empty.';
  const ttl = wholeNumber(draft.admissionTtlSeconds, 10, 7 * 24 * 3600);
  if (ttl === null) errors.admissionTtlSeconds = 'Whole seconds from 10 to 604,800.';
  const heartbeat = wholeNumber(draft.heartbeatTimeoutSeconds, 5, 24 * 3600);
  if (heartbeat === null) errors.heartbeatTimeoutSeconds = 'Whole seconds from 5 to 86,400.';
  return {
    settings: {
      id: draft.id,
      name: draft.name.trim(),
      admitRatePerMinute: rate,
      maxActive: cap,
      opensAt,
      queueMode: draft.queueMode,
      status: draft.status,
      admissionTtlSeconds: ttl ?? 0,
      heartbeatTimeoutSeconds: heartbeat ?? 0,
      requireChallenge: draft.requireChallenge,
    },
    errors,
  };
}

/** Only what changed, for a PATCH. */
export function changesFrom(room: RoomSettings, next: RoomSettings): RoomPatch {
  const patch: RoomPatch = {};
  const keys = [
    'name',
    'admitRatePerMinute',
    'maxActive',
    'opensAt',
    'queueMode',
    'status',
    'admissionTtlSeconds',
    'heartbeatTimeoutSeconds',
    'requireChallenge',
  ] as const;
  for (const key of keys) {
    const was = key === 'opensAt' ? toLocalInput(room.opensAt) : room[key];
    const now = key === 'opensAt' ? toLocalInput(next.opensAt) : next[key];
    if (was !== now) Object.assign(patch, { [key]: next[key] });
  }
  return patch;
}
