import { useEffect, useState } from 'react';
import { ApiError } from '../../../shared/api/http';
import type { TicketStatus } from '../../../shared/api/types';
import { getTicket } from '../api/get-ticket';
import { followTicketEvents } from '../api/ticket-events';
import { streamRetryDelayMs } from '../stream-retry';

/** How the status reaches the page: pushed live, polled, or not at all for now. */
export type Connection = 'connecting' | 'live' | 'polling' | 'offline';

export interface TicketView {
  status: TicketStatus | null;
  connection: Connection;
  /** The server refused the queue token or no longer knows the ticket: the place is gone. */
  refused: ApiError | null;
}

const FINAL_STATES: ReadonlySet<TicketStatus['state']> = new Set(['expired', 'completed', 'left']);
const DEFAULT_POLL_MS = 5000;

/**
 * Follows a ticket: live over the server-sent event stream; when the stream cannot be had
 * (a proxy that buffers, a network that drops it), by polling at the status's `pollAfterMs`,
 * trying the stream again now and then. Stops once the ticket reaches a final state.
 */
export function useTicket(
  roomId: string,
  queueToken: string | null,
  initial: TicketStatus | null = null,
): TicketView {
  const [status, setStatus] = useState<TicketStatus | null>(initial);
  const [connection, setConnection] = useState<Connection>('connecting');
  const [refused, setRefused] = useState<ApiError | null>(null);

  useEffect(() => {
    if (!queueToken) return;
    setRefused(null);
    const abort = new AbortController();
    const { signal } = abort;
    let latest: TicketStatus | null = null;
    let stopped = false;
    const apply = (next: TicketStatus) => {
      latest = next;
      setStatus(next);
    };
    const isFinal = () => latest !== null && FINAL_STATES.has(latest.state);
    const refuse = (error: unknown): boolean => {
      if (error instanceof ApiError && (error.status === 401 || error.status === 404)) {
        stopped = true;
        setRefused(error);
        return true;
      }
      return false;
    };
    const done = () => signal.aborted || stopped || isFinal();

    const poll = async () => {
      try {
        apply(await getTicket(roomId, queueToken, signal));
        setConnection('polling');
      } catch (error) {
        if (!signal.aborted && !refuse(error)) setConnection('offline');
      }
    };

    const run = async () => {
      let failures = 0;
      while (!done()) {
        let heard = false;
        try {
          await followTicketEvents(roomId, queueToken, {
            signal,
            onStatus: (next) => {
              heard = true;
              failures = 0;
              setConnection('live');
              apply(next);
            },
          });
          // The server ended the stream (a restart, say): come back, but not in a tight loop
          // when a stream never says anything.
          if (!heard) failures++;
        } catch (error) {
          if (signal.aborted || refuse(error)) return;
          failures++;
        }
        const retryAt = Date.now() + streamRetryDelayMs(failures);
        while (!done()) {
          await poll();
          if (done() || Date.now() >= retryAt) break;
          await sleep(pollDelay(latest), signal);
        }
      }
    };
    void run();
    return () => abort.abort();
  }, [roomId, queueToken]);

  return { status, connection, refused };
}

function pollDelay(status: TicketStatus | null): number {
  const ms = status?.pollAfterMs;
  return typeof ms === 'number' && ms > 0 ? ms : DEFAULT_POLL_MS;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
