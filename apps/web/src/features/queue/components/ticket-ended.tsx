import type { TicketStatus } from '../../../shared/api/types';
import { Notice } from '../../../shared/ui/notice';

/** An expired ticket: why, and the way back into the line. */
export function TicketEnded({ status, onRejoin }: { status: TicketStatus; onRejoin(): void }) {
  const admissionRanOut = status.expiryReason === 'admission-expired';
  return (
    <section className="card" aria-labelledby="ended-title">
      <h2 id="ended-title" className="card__title">
        {admissionRanOut ? 'Your time to order ran out' : 'You lost your place in line'}
      </h2>
      <Notice tone="warning">
        <p>
          {admissionRanOut
            ? 'You were let in, but no order was placed before your time was up, so your turn passed to the next person. Nothing was charged.'
            : 'This page was away from the line for too long (a closed tab, a phone asleep), so your place was given up.'}
        </p>
      </Notice>
      <p>You can join the line again; you will start at the back.</p>
      {status.roomStatus === 'closed' ? (
        <p className="muted">The sale is closed now, so the line cannot be joined.</p>
      ) : (
        <button type="button" className="button" onClick={onRejoin}>
          Join the line again
        </button>
      )}
    </section>
  );
}
