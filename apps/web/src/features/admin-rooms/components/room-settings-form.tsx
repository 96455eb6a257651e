import { type ChangeEvent, type FormEvent, useId, useState } from 'react';
import { ApiError } from '../../../shared/api/http';
import type { RoomSettings } from '../../../shared/api/types';
import { Notice } from '../../../shared/ui/notice';
import { TextField } from '../../../shared/ui/text-field';
import { type DraftErrors, draftOf, readDraft, type SettingsDraft } from '../settings-draft';

type TextKey = Exclude<keyof SettingsDraft, 'queueMode' | 'status' | 'requireChallenge'>;

export interface RoomSettingsFormProps {
  /** The room being changed; none for a new room. */
  room?: RoomSettings;
  submitLabel: string;
  /**
   * Sends the settings; a refusal thrown is shown on the form. `base` is what the form
   * started from (or last saved), so that only the fields changed here are sent.
   */
  onSubmit(settings: RoomSettings, base: RoomSettings | undefined): Promise<void>;
}

/**
 * A room's settings: rate, cap, opening time, mode, and the two timeouts; and the status of
 * a new room (a room's own status is changed by its controls: pause, resume, close).
 */
export function RoomSettingsForm({ room, submitLabel, onSubmit }: RoomSettingsFormProps) {
  const [draft, setDraft] = useState<SettingsDraft>(() => draftOf(room));
  const [base, setBase] = useState<RoomSettings | undefined>(room);
  const [errors, setErrors] = useState<DraftErrors>({});
  const [refusal, setRefusal] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [sending, setSending] = useState(false);
  const modeId = useId();
  const statusId = useId();
  const challengeId = useId();
  const challengeHintId = useId();

  const edit = <K extends keyof SettingsDraft>(key: K, value: SettingsDraft[K]) => {
    setDraft((current) => ({ ...current, [key]: value }));
    setSaved(false);
    if (errors[key]) setErrors((current) => ({ ...current, [key]: undefined }));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const { settings, errors: found } = readDraft(draft);
    setErrors(found);
    setRefusal(null);
    if (Object.values(found).some(Boolean)) return;
    setSending(true);
    try {
      await onSubmit(settings, base);
      if (base) setBase({ ...settings, status: base.status });
      setSaved(true);
    } catch (error) {
      setRefusal(error instanceof ApiError ? error.message : String(error));
    } finally {
      setSending(false);
    }
  };

  const text = (key: TextKey) => ({
    value: draft[key],
    error: errors[key] ?? null,
    onChange: (e: ChangeEvent<HTMLInputElement>) => edit(key, e.currentTarget.value),
  });

  return (
    <form className="settings-form" onSubmit={submit} noValidate>
      <div className="form-grid">
        {room ? null : (
          <TextField label="Room id" hint="In the address: /rooms/<id>" {...text('id')} autoComplete="off" />
        )}
        <TextField label="Name" {...text('name')} maxLength={200} autoComplete="off" />
        <TextField label="Admissions per minute" inputMode="decimal" {...text('admitRatePerMinute')} />
        <TextField
          label="Most active at once"
          hint="Empty: no cap"
          inputMode="numeric"
          {...text('maxActive')}
        />
        <TextField
          label="Opens at"
          type="datetime-local"
          hint="Your local time; empty: open now"
          {...text('opensAt')}
        />
        <div className="field">
          <label htmlFor={modeId}>Queue mode</label>
          <select
            id={modeId}
            value={draft.queueMode}
            onChange={(e) => edit('queueMode', e.currentTarget.value as SettingsDraft['queueMode'])}
          >
            <option value="fifo">First come, first served</option>
            <option value="lottery">Lottery for those who join before opening</option>
          </select>
        </div>
        {room ? null : (
          <div className="field">
            <label htmlFor={statusId}>Status</label>
            <select
              id={statusId}
              value={draft.status}
              onChange={(e) => edit('status', e.currentTarget.value as SettingsDraft['status'])}
            >
              <option value="open">Open</option>
              <option value="paused">Paused</option>
              <option value="closed">Closed</option>
            </select>
          </div>
        )}
        <TextField label="Time to order (s)" inputMode="numeric" {...text('admissionTtlSeconds')} />
        <TextField
          label="Silence before a place is lost (s)"
          inputMode="numeric"
          {...text('heartbeatTimeoutSeconds')}
        />
        <div className="field field--check">
          <input
            id={challengeId}
            type="checkbox"
            checked={draft.requireChallenge}
            aria-describedby={challengeHintId}
            onChange={(e) => edit('requireChallenge', e.currentTarget.checked)}
          />
          <label htmlFor={challengeId}>Ask each join for a proof of work</label>
          <p id={challengeHintId} className="field__hint">
            The shopper's browser solves a small puzzle (about a second) before joining: a cost per join for
            scripts, unnoticed by people.
          </p>
        </div>
      </div>
      {refusal ? (
        <Notice tone="error" title="Not saved" urgent>
          <p>{refusal}</p>
        </Notice>
      ) : null}
      <div className="actions">
        <button type="submit" className="button" disabled={sending}>
          {sending ? 'Saving…' : submitLabel}
        </button>
        {saved ? (
          <span className="saved" role="status">
            Saved
          </span>
        ) : null}
      </div>
    </form>
  );
}
