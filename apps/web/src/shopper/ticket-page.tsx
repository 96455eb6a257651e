import { useEffect, useRef, useState } from 'react';
import { AdmissionTimer } from '../features/checkout/components/admission-timer';
import { OrderForm } from '../features/checkout/components/order-form';
import { leaveLine } from '../features/queue/api/leave-line';
import { TicketEnded } from '../features/queue/components/ticket-ended';
import { WaitingCard } from '../features/queue/components/waiting-card';
import type { StoredTicket } from '../features/queue/hooks/use-stored-ticket';
import { useTicket } from '../features/queue/hooks/use-ticket';
import type { ApiError } from '../shared/api/http';
import type { Order, Product, PublicRoom, TicketStatus } from '../shared/api/types';
import { formatWhen } from '../shared/format/date';
import { useCountdown } from '../shared/hooks/use-countdown';
import { Notice } from '../shared/ui/notice';

export interface TicketPageProps {
  roomId: string;
  room: PublicRoom | null;
  ticket: StoredTicket;
  /** The status the join answered with, shown until the stream speaks. */
  initial: TicketStatus | null;
  onTicketChange(ticket: StoredTicket): void;
  /** The place is gone (left, or the token refused): back to the landing page. */
  onGone(reason: ApiError | null): void;
  onRejoin(): void;
  onPlaced(order: Order, products: readonly Product[]): void;
}

/** Everything after joining: the wait, the turn to order, or the end of the ticket. */
export function TicketPage({
  roomId,
  room,
  ticket,
  initial,
  onTicketChange,
  onGone,
  onRejoin,
  onPlaced,
}: TicketPageProps) {
  const { status, connection, refused } = useTicket(roomId, ticket.queueToken, initial);
  const [leaving, setLeaving] = useState(false);

  useEffect(() => {
    if (refused) onGone(refused);
  }, [refused, onGone]);
  useEffect(() => {
    if (status?.state === 'left') onGone(null);
  }, [status?.state, onGone]);
  // A lottery's pre-queue has no position until the draw: measure progress from the first one seen.
  useEffect(() => {
    if (ticket.firstPosition === null && status?.position != null) {
      onTicketChange({ ...ticket, firstPosition: status.position });
    }
  }, [ticket, status?.position, onTicketChange]);

  const leave = async () => {
    setLeaving(true);
    try {
      await leaveLine(roomId, ticket.queueToken);
    } catch {
      // Gone from this browser either way; a ticket left behind is abandoned by the server.
    }
    onGone(null);
  };

  if (!status) return <p className="muted">Finding your place…</p>;
  switch (status.state) {
    case 'waiting':
      return (
        <WaitingCard
          status={status}
          room={room}
          connection={connection}
          firstPosition={ticket.firstPosition}
          onLeave={leave}
          leaving={leaving}
        />
      );
    case 'admitted':
      return <AdmittedView roomId={roomId} status={status} onPlaced={onPlaced} />;
    case 'expired':
      return <TicketEnded status={status} onRejoin={onRejoin} />;
    case 'completed':
      return (
        <Notice tone="success" title="Your order is placed">
          <p>This turn was used for an order. The confirmation was shown where the order was placed.</p>
        </Notice>
      );
    case 'left':
      return null;
  }
}

function AdmittedView({
  roomId,
  status,
  onPlaced,
}: {
  roomId: string;
  status: TicketStatus;
  onPlaced: TicketPageProps['onPlaced'];
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const expiresAt = status.admissionExpiresAt ?? null;
  const left = useCountdown(expiresAt);
  const token = status.admissionToken;
  return (
    <>
      <section className="card card--accent" aria-labelledby="turn-title">
        <h2 id="turn-title" className="card__title" ref={heading} tabIndex={-1}>
          It is your turn
        </h2>
        {expiresAt ? (
          <>
            <p>
              Place your order before {formatWhen(expiresAt)}; after that your turn passes to the next person.
            </p>
            <AdmissionTimer expiresAt={expiresAt} />
          </>
        ) : null}
      </section>
      <section className="card">
        {token ? (
          <OrderForm roomId={roomId} admissionToken={token} expired={left === 0} onPlaced={onPlaced} />
        ) : (
          <p className="muted">Getting your pass to order…</p>
        )}
      </section>
    </>
  );
}
