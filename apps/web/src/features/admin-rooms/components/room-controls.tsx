import { type FormEvent, useId, useState } from 'react';
import { ApiError } from '../../../shared/api/http';
import type { RoomSettings } from '../../../shared/api/types';
import { Notice } from '../../../shared/ui/notice';
import { admitNow } from '../api/admit-now';
import { updateRoom } from '../api/update-room';

export interface RoomControlsProps {
  token: string;
  room: RoomSettings;
  onChanged(room: RoomSettings): void;
  /** After an admission, so that the figures show it at once. */
  onAdmitted?(count: number): void;
}

/** The levers of a live sale: pause, resume, close, and admit some now. */
export function RoomControls({ token, room, onChanged, onAdmitted }: RoomControlsProps) {
  const [count, setCount] = useState('10');
  const [message, setMessage] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmClose, setConfirmClose] = useState(false);
  const countId = useId();

  const run = async (action: () => Promise<string>) => {
    setBusy(true);
    setMessage(null);
    try {
      setMessage({ tone: 'success', text: await action() });
    } catch (error) {
      setMessage({ tone: 'error', text: error instanceof ApiError ? error.message : String(error) });
    } finally {
      setBusy(false);
      setConfirmClose(false);
    }
  };

  const setStatus = (status: RoomSettings['status'], done: string) =>
    run(async () => {
      onChanged(await updateRoom(token, room.id, { status }));
      return done;
    });

  const admit = (event: FormEvent) => {
    event.preventDefault();
    const n = Number(count);
    if (!Number.isInteger(n) || n < 1 || n > 100_000) {
      setMessage({ tone: 'error', text: 'Admit a whole number from 1 to 100,000.' });
      return;
    }
    void run(async () => {
      const admitted = await admitNow(token, room.id, n);
      onAdmitted?.(admitted);
      return admitted === 0 ? 'Nobody was waiting.' : `Admitted ${admitted}.`;
    });
  };

  return (
    <div className="controls">
      <div className="actions">
        {room.status === 'open' ? (
          <button
            type="button"
            className="button button--quiet"
            disabled={busy}
            onClick={() => setStatus('paused', 'Paused: nobody is let in by the rate.')}
          >
            Pause
          </button>
        ) : (
          <button
            type="button"
            className="button"
            disabled={busy}
            onClick={() => setStatus('open', 'Open: admitting at the rate again.')}
          >
            {room.status === 'closed' ? 'Reopen' : 'Resume'}
          </button>
        )}
        {room.status !== 'closed' ? (
          confirmClose ? (
            <>
              <button
                type="button"
                className="button button--danger"
                disabled={busy}
                onClick={() => setStatus('closed', 'Closed.')}
              >
                Close the sale
              </button>
              <button type="button" className="button button--quiet" onClick={() => setConfirmClose(false)}>
                Keep it open
              </button>
            </>
          ) : (
            <button
              type="button"
              className="button button--quiet"
              disabled={busy}
              onClick={() => setConfirmClose(true)}
            >
              Close…
            </button>
          )
        ) : null}
      </div>
      <form className="admit-form" onSubmit={admit} noValidate>
        <label htmlFor={countId}>Admit now</label>
        <input
          id={countId}
          type="number"
          inputMode="numeric"
          min={1}
          max={100000}
          value={count}
          onChange={(e) => setCount(e.currentTarget.value)}
        />
        <button type="submit" className="button" disabled={busy || room.status === 'closed'}>
          Admit
        </button>
      </form>
      {message ? (
        <Notice tone={message.tone} urgent={message.tone === 'error'}>
          <p>{message.text}</p>
        </Notice>
      ) : null}
    </div>
  );
}
