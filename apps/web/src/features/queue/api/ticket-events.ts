import { ApiError, apiUrl, errorOf } from '../../../shared/api/http';
import type { ApiPath, TicketStatus } from '../../../shared/api/types';
import { SseParser } from './sse-parser';

const EVENTS_PATH: ApiPath = '/api/rooms/{roomId}/tickets/me/events';

export interface TicketEventsOptions {
  signal: AbortSignal;
  onStatus(status: TicketStatus): void;
  /**
   * The server writes at least every 15 s; a stream silent for this long is taken for dead
   * (a phone that slept, a connection dropped without a word) and given up.
   */
  idleMs?: number;
  /**
   * A stream opens and says its first status at once; one that has said nothing this long
   * after the call (a server too busy to take the connection, whose kernel makes it wait for
   * retries) is given up sooner, so that the page polls meanwhile and keeps its place.
   */
  connectMs?: number;
}

/**
 * Follows a ticket's live stream (`event: status` at once and on every change) until the
 * server ends it or `signal` aborts. Rejects with an ApiError when the stream cannot be had:
 * a refused token (401/404), or no server or a dead stream (NETWORK).
 */
export async function followTicketEvents(
  roomId: string,
  queueToken: string,
  { signal, onStatus, idleMs = 45_000, connectMs = 10_000 }: TicketEventsOptions,
): Promise<void> {
  // Aborted by the caller or by the watchdog below.
  const local = new AbortController();
  const forward = () => local.abort();
  signal.addEventListener('abort', forward, { once: true });
  let watchdog: ReturnType<typeof setTimeout> | undefined;
  const feed = (ms = idleMs) => {
    clearTimeout(watchdog);
    watchdog = setTimeout(() => local.abort(), ms);
  };

  try {
    feed(connectMs);
    let res: Response;
    try {
      res = await fetch(apiUrl(EVENTS_PATH, { roomId }), {
        headers: { accept: 'text/event-stream', authorization: `Bearer ${queueToken}` },
        cache: 'no-store',
        signal: local.signal,
      });
    } catch (error) {
      if (signal.aborted) throw error;
      throw new ApiError(0, 'NETWORK', 'The live updates could not be reached.');
    }
    if (!res.ok) throw await errorOf(res);
    if (!res.body) throw new ApiError(res.status, 'BAD_RESPONSE', 'The live updates cannot be read here.');

    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    const parser = new SseParser();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        feed();
        for (const event of parser.push(value)) {
          if (event.event === 'status') onStatus(JSON.parse(event.data) as TicketStatus);
        }
      }
    } catch (error) {
      if (signal.aborted) throw error;
      throw new ApiError(0, 'NETWORK', 'The live updates were cut off.');
    } finally {
      reader.cancel().catch(() => {});
    }
  } finally {
    clearTimeout(watchdog);
    signal.removeEventListener('abort', forward);
    local.abort();
  }
}
