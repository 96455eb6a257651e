import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../shared/api/http';
import { followTicketEvents } from './ticket-events';

/** A fetch that answers only when `answer` is called, and fails as fetch does when aborted. */
function pendingFetch() {
  let answer: (res: Response) => void = () => {};
  const fetch = vi.fn(
    (_url: string, init: RequestInit) =>
      new Promise<Response>((resolve, reject) => {
        answer = resolve;
        init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      }),
  );
  vi.stubGlobal('fetch', fetch);
  return { fetch, answer: (res: Response) => answer(res) };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('following the live stream', () => {
  it('gives up a stream that says nothing within connectMs, so that the page polls meanwhile', async () => {
    const { fetch } = pendingFetch();
    const started = Date.now();
    const following = followTicketEvents('demo', 'token', {
      signal: new AbortController().signal,
      onStatus: () => {},
      connectMs: 50,
      idleMs: 10_000,
    });
    await expect(following).rejects.toSatisfy((e) => e instanceof ApiError && e.code === 'NETWORK');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(fetch).toHaveBeenCalledOnce();
  });

  it('keeps a stream that speaks in time, and hands over each status', async () => {
    const { answer } = pendingFetch();
    const seen: unknown[] = [];
    const abort = new AbortController();
    const following = followTicketEvents('demo', 'token', {
      signal: abort.signal,
      onStatus: (s) => seen.push(s),
      connectMs: 200,
    });
    let push: (text: string) => void = () => {};
    let end: () => void = () => {};
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        push = (text) => controller.enqueue(new TextEncoder().encode(text));
        end = () => controller.close();
      },
    });
    answer(new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } }));
    push('retry: 3000\nevent: status\ndata: {"state":"waiting","position":3}\n\n');
    // Well past connectMs: the stream spoke, so only the idle limit applies now.
    await new Promise((resolve) => setTimeout(resolve, 400));
    push('event: status\ndata: {"state":"waiting","position":2}\n\n');
    await vi.waitFor(() => expect(seen).toHaveLength(2));
    expect(seen).toEqual([
      { state: 'waiting', position: 3 },
      { state: 'waiting', position: 2 },
    ]);
    // The server ends the stream: the follow ends without an error.
    end();
    await expect(following).resolves.toBeUndefined();
  });
});
