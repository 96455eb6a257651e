import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { OrderConfirmation } from '../features/checkout/components/order-confirmation';
import { ProductsOnSale } from '../features/checkout/components/products-on-sale';
import { confirmedOrder, useConfirmedOrder } from '../features/checkout/confirmed-order';
import { joinLine } from '../features/queue/api/join-line';
import { RoomLanding } from '../features/queue/components/room-landing';
import { useChallenge } from '../features/queue/hooks/use-challenge';
import { useRoom } from '../features/queue/hooks/use-room';
import { useStoredTicket } from '../features/queue/hooks/use-stored-ticket';
import { ApiError } from '../shared/api/http';
import type { JoinedTicket, Order, Product } from '../shared/api/types';
import { Notice } from '../shared/ui/notice';
import { TicketPage } from './ticket-page';

/** The shopper's pages for one room: the landing page, the wait, the order, the confirmation. */
export function ShopperApp({ roomId }: { roomId: string }) {
  const room = useRoom(roomId);
  const [ticket, setTicket] = useStoredTicket(roomId);
  const [order, setOrder] = useConfirmedOrder(roomId);
  const [joined, setJoined] = useState<JoinedTicket | null>(null);
  const [joining, setJoining] = useState(false);
  const [notice, setNotice] = useState<ReactNode>(null);
  // A room that asks each join for a proof of work: solved in the background, before the click.
  const takeSolution = useChallenge(roomId, room.data?.requireChallenge === true, !ticket && !order);

  useEffect(() => {
    document.title = room.data ? `${room.data.name} · Waiting room` : 'Waiting room';
  }, [room.data]);

  const join = async () => {
    setJoining(true);
    setNotice(null);
    try {
      let t: JoinedTicket;
      try {
        t = await joinLine(roomId, await takeSolution());
      } catch (error) {
        // The room has just started asking, or the solution was refused: once more, freshly solved.
        if (!isChallengeRefusal(error)) throw error;
        t = await joinLine(roomId, await takeSolution(true));
      }
      setJoined(t);
      setOrder(null);
      setTicket({ queueToken: t.queueToken, firstPosition: t.position });
    } catch (error) {
      setNotice(joinRefusal(error));
      room.reload();
    } finally {
      setJoining(false);
    }
  };

  const gone = useCallback(
    (reason: ApiError | null) => {
      setTicket(null);
      setJoined(null);
      if (reason) {
        setNotice(
          <Notice tone="warning" title="Your place could not be found">
            <p>The line no longer knows this place (it may have ended long ago). You can join again.</p>
          </Notice>,
        );
      }
    },
    [setTicket],
  );

  const placed = (o: Order, products: readonly Product[]) => setOrder(confirmedOrder(o, products));

  let body: ReactNode;
  if (order) {
    body = (
      <OrderConfirmation
        order={order}
        onDone={() => {
          setOrder(null);
          setTicket(null);
        }}
      />
    );
  } else if (ticket) {
    body = (
      <TicketPage
        key={ticket.queueToken}
        roomId={roomId}
        room={room.data}
        ticket={ticket}
        initial={joined?.queueToken === ticket.queueToken ? joined : null}
        onTicketChange={setTicket}
        onGone={gone}
        onRejoin={() => {
          setTicket(null);
          void join();
        }}
        onPlaced={placed}
      />
    );
  } else if (room.data) {
    body = (
      <RoomLanding room={room.data} onJoin={join} joining={joining} notice={notice}>
        <ProductsOnSale roomId={roomId} />
      </RoomLanding>
    );
  } else if (room.error) {
    body =
      room.error.code === 'ROOM_NOT_FOUND' || room.error.status === 404 ? (
        <Notice tone="error" title="There is no sale here">
          <p>Check the link you followed: this address names no waiting room.</p>
        </Notice>
      ) : (
        <Notice tone="error" title="The sale could not be loaded">
          <p>{room.error.message}</p>
          <button type="button" className="button button--quiet" onClick={room.reload}>
            Try again
          </button>
        </Notice>
      );
  } else {
    body = <p className="muted">Loading…</p>;
  }

  return (
    <div className="page">
      <header className="page__header">
        <p className="page__eyebrow">Waiting room</p>
        <h1 className="page__title">{room.data?.name ?? ' '}</h1>
      </header>
      <main className="page__main">{body}</main>
    </div>
  );
}

function isChallengeRefusal(error: unknown): boolean {
  return (
    error instanceof ApiError && (error.code === 'CHALLENGE_REQUIRED' || error.code === 'CHALLENGE_FAILED')
  );
}

function joinRefusal(error: unknown): ReactNode {
  const e = error instanceof ApiError ? error : null;
  if (e?.code === 'ROOM_CLOSED') {
    return (
      <Notice tone="error" title="The sale is closed" urgent>
        <p>The line closed before you could join.</p>
      </Notice>
    );
  }
  if (e?.code === 'RATE_LIMITED') {
    return (
      <Notice tone="warning" title="Too many tries" urgent>
        <p>
          This connection joined too often. Try again
          {e.retryAfterSeconds ? ` in ${e.retryAfterSeconds} s` : ' in a minute'}.
        </p>
      </Notice>
    );
  }
  return (
    <Notice tone="error" title="You could not join" urgent>
      <p>{e?.message ?? 'Something went wrong.'} Try again.</p>
    </Notice>
  );
}
