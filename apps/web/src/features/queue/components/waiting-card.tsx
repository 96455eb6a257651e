import { useState } from 'react';
import type { PublicRoom, TicketStatus } from '../../../shared/api/types';
import { formatWait, formatWaitRange } from '../../../shared/format/duration';
import type { Connection } from '../hooks/use-ticket';
import { ConnectionNote } from './connection-note';
import { PositionAnnouncer } from './position-announcer';
import { RoomNotice } from './room-notice';
import { progressFraction, WaitProgress } from './wait-progress';

export interface WaitingCardProps {
  status: TicketStatus;
  room: PublicRoom | null;
  connection: Connection;
  firstPosition: number | null;
  onLeave(): void;
  leaving?: boolean;
}

/** A place in line: position, people ahead, the wait and its range, live. */
export function WaitingCard({
  status,
  room,
  connection,
  firstPosition,
  onLeave,
  leaving = false,
}: WaitingCardProps) {
  const { position, etaSeconds, etaRange, roomStatus } = status;
  const ahead = position === null ? null : position - 1;
  const [confirming, setConfirming] = useState(false);
  return (
    <section className="card waiting" aria-labelledby="waiting-title">
      <h2 id="waiting-title" className="card__title">
        You are in line
      </h2>
      <RoomNotice roomStatus={roomStatus} opensAt={room?.opensAt ?? null} />

      {position === null ? (
        <p className="waiting__draw">
          Places are drawn at random when the sale opens. Everyone who joined before then has the same chance.
        </p>
      ) : (
        <dl className="figures">
          <div className="figure figure--main">
            <dt className="figure__label">Your place in line</dt>
            <dd className="figure__value figure__value--big">{position.toLocaleString('en')}</dd>
            <dd className="figure__note">
              {ahead === 0
                ? 'You are next'
                : `${ahead?.toLocaleString('en')} ${ahead === 1 ? 'person' : 'people'} ahead of you`}
            </dd>
          </div>
          <div className="figure">
            <dt className="figure__label">Estimated wait</dt>
            <dd className="figure__value">{etaSeconds === null ? '—' : formatWait(etaSeconds)}</dd>
            <dd className="figure__note">
              {etaRange
                ? `likely ${formatWaitRange(etaRange[0] ?? 0, etaRange[1] ?? 0)}`
                : waitNote(roomStatus)}
            </dd>
          </div>
        </dl>
      )}

      <WaitProgress fraction={progressFraction(firstPosition, position)} label="Progress through the line" />
      <ConnectionNote connection={connection} pollAfterMs={status.pollAfterMs} />
      <PositionAnnouncer position={position} />

      <p className="muted small">
        Keep this page open: your place is held while it is. A reload or another tab of this browser keeps the
        same place.
      </p>
      {confirming ? (
        <fieldset className="confirm">
          <legend>Leave the line?</legend>
          <p>Your place is given up and cannot be had back.</p>
          <div className="actions">
            <button type="button" className="button button--danger" onClick={onLeave} disabled={leaving}>
              Leave
            </button>
            <button type="button" className="button button--quiet" onClick={() => setConfirming(false)}>
              Stay in line
            </button>
          </div>
        </fieldset>
      ) : (
        <button type="button" className="button button--quiet" onClick={() => setConfirming(true)}>
          Leave the line
        </button>
      )}
    </section>
  );
}

function waitNote(roomStatus: TicketStatus['roomStatus']): string {
  switch (roomStatus) {
    case 'scheduled':
      return 'known once the sale opens';
    case 'paused':
      return 'on hold while the sale is paused';
    case 'closed':
      return 'nobody is let in now';
    case 'open':
      return 'being measured';
  }
}
