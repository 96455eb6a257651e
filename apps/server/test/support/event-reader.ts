import type { TicketStatus } from '../helper.js';

/** One block of an event stream: an event with its data, or a comment line. */
export type Block = { kind: 'event'; event: string; data: string } | { kind: 'comment'; text: string };

/** Reads a `text/event-stream` response block by block. */
export class EventReader {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();
  private buffer = '';
  private readonly blocks: Block[] = [];
  ended = false;

  constructor(
    readonly response: Response,
    private readonly abort: AbortController,
  ) {
    if (!response.body) throw new Error('the response has no body');
    this.reader = response.body.getReader();
  }

  /** The next block satisfying `accept`, skipping the others; fails after `timeoutMs`. */
  async next(accept: (block: Block) => boolean, timeoutMs = 5000): Promise<Block> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.blocks.findIndex(accept);
      if (index >= 0) return this.blocks.splice(0, index + 1)[index]!;
      if (this.ended) throw new Error('the stream ended');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching block within ${timeoutMs} ms`);
      let timer: NodeJS.Timeout | undefined;
      const chunk = await Promise.race([
        this.reader.read(),
        new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), left);
        }),
      ]).finally(() => clearTimeout(timer));
      if (chunk === 'timeout') continue;
      if (chunk.done) {
        this.ended = true;
        continue;
      }
      this.buffer += this.decoder.decode(chunk.value, { stream: true });
      this.parse();
    }
  }

  /** The next `status` event's ticket status. */
  async nextStatus(accept: (s: TicketStatus) => boolean = () => true): Promise<TicketStatus> {
    const block = await this.next(
      (b) => b.kind === 'event' && b.event === 'status' && accept(JSON.parse(b.data) as TicketStatus),
    );
    return JSON.parse((block as { data: string }).data) as TicketStatus;
  }

  /** Resolves once the server has ended the stream. */
  async untilEnd(timeoutMs = 5000): Promise<void> {
    await this.next(() => false, timeoutMs).catch((error: unknown) => {
      if (!this.ended) throw error;
    });
  }

  close(): void {
    this.abort.abort();
  }

  private parse(): void {
    for (;;) {
      const end = this.buffer.indexOf('\n\n');
      if (end < 0) return;
      const raw = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const lines = raw.split('\n');
      if (lines.every((l) => l.startsWith(':'))) {
        this.blocks.push({ kind: 'comment', text: raw });
        continue;
      }
      let event = 'message';
      const data: string[] = [];
      for (const line of lines) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length > 0) this.blocks.push({ kind: 'event', event, data: data.join('\n') });
    }
  }
}

/** Opens a ticket's live status stream on a listening test server. */
export async function openEvents(baseUrl: string, roomId: string, token: string): Promise<EventReader> {
  const abort = new AbortController();
  const response = await fetch(`${baseUrl}/api/rooms/${roomId}/tickets/me/events`, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    signal: abort.signal,
  });
  return new EventReader(response, abort);
}
