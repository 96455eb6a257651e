import type { ReactNode } from 'react';
import type { PublicRoom } from '../../../shared/api/types';
import { formatWait } from '../../../shared/format/duration';
import { Notice } from '../../../shared/ui/notice';
import { LotteryNote } from './lottery-note';
import { OpeningCountdown } from './opening-countdown';

export interface RoomLandingProps {
  room: PublicRoom;
  onJoin(): void;
  joining: boolean;
  /** Why the last join failed, or why the last place was lost. */
  notice?: ReactNode;
  /** What is on sale. */
  children?: ReactNode;
}

/** A room before joining: what the sale is, how long the wait is now, and the way in. */
export function RoomLanding({ room, onJoin, joining, notice, children }: RoomLandingProps) {
  const closed = room.status === 'closed';
  return (
    <>
      <section className="card" aria-labelledby="landing-title">
        <h2 id="landing-title" className="card__title">
          {headline(room)}
        </h2>
        {room.status === 'scheduled' ? <OpeningCountdown opensAt={room.opensAt} /> : null}
        {room.status === 'paused' ? (
          <Notice tone="warning" title="The sale is paused">
            <p>You can still join the line: it moves again when the sale resumes.</p>
          </Notice>
        ) : null}
        {closed ? (
          <Notice tone="error" title="The sale is closed">
            <p>This line is not taking anyone now. Come back if the shop announces another sale.</p>
          </Notice>
        ) : (
          <dl className="figures">
            <div className="figure">
              <dt className="figure__label">Waiting now</dt>
              <dd className="figure__value">{room.waiting.toLocaleString('en')}</dd>
            </div>
            <div className="figure">
              <dt className="figure__label">Your wait if you join now</dt>
              <dd className="figure__value">
                {room.estimatedWaitSeconds === null ? '—' : `≈ ${formatWait(room.estimatedWaitSeconds)}`}
              </dd>
            </div>
          </dl>
        )}
        {room.lottery ? <LotteryNote roomId={room.id} lottery={room.lottery} /> : null}
        {notice}
        {closed ? null : (
          <>
            <button type="button" className="button button--wide" onClick={onJoin} disabled={joining}>
              {joining ? 'Joining…' : 'Join the line'}
            </button>
            <p className="muted small">
              You get a place at once. Keep the page open while you wait; you will be let in to order when it
              is your turn.
            </p>
          </>
        )}
      </section>
      {children}
    </>
  );
}

function headline(room: PublicRoom): string {
  switch (room.status) {
    case 'scheduled':
      return 'The line is open before the sale';
    case 'open':
      return room.waiting === 0 ? 'No wait right now' : 'Join the line';
    case 'paused':
      return 'Join the line';
    case 'closed':
      return 'This sale has ended';
  }
}
