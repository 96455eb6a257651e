/**
 * A bare event-stream client on a plain TCP socket: one GET, the answer's head, its chunked
 * body, and the `event:` / `data:` lines of each event. The simulated sale and the fan-out
 * figure hold thousands of streams from one process; EventSource or a general HTTP client
 * would cost that process more per stream and per event than the server it measures.
 * Only what the waiting room sends is understood: HTTP/1.1, a chunked or length-delimited
 * body, ASCII text (read as latin1, so that a chunk's size counts characters).
 */
import { connect, type Socket } from 'node:net';

export interface SseTarget {
  host: string;
  port: number;
  path: string;
  headers: Record<string, string>;
  /** The local address to connect from (127.0.0.2… spreads the ephemeral ports), if any. */
  localAddress?: string;
}

export interface SseHandlers {
  /** Each complete event, in order. */
  onEvent(event: string, data: string): void;
  /** The stream ended or failed: `status` 0 when no answer's head arrived, else its status. */
  onClose(outcome: SseClose): void;
}

export interface SseClose {
  status: number;
  /** The answer's body when it was not an event stream (an error), else ''. */
  body: string;
  /** A socket error, if that is what ended it. */
  error: Error | null;
}

/** Where the reader is in the answer. */
const Phase = { Head: 0, ChunkSize: 1, ChunkData: 2, ChunkEnd: 3, Plain: 4, Done: 5 } as const;
type Phase = (typeof Phase)[keyof typeof Phase];

/** One open stream; `close()` ends it from this side (no `onClose` then). */
export class SseStream {
  private readonly socket: Socket;
  private phase: Phase = Phase.Head;
  private buffer = '';
  private events = '';
  private status = 0;
  private chunked = false;
  private remaining = 0;
  private closed = false;

  constructor(
    target: SseTarget,
    private readonly handlers: SseHandlers,
  ) {
    const socket = connect({
      host: target.host,
      port: target.port,
      ...(target.localAddress ? { localAddress: target.localAddress } : {}),
    });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.setEncoding('latin1');
    let head = `GET ${target.path} HTTP/1.1\r\nhost: ${target.host}:${target.port}\r\naccept: text/event-stream\r\n`;
    for (const [name, value] of Object.entries(target.headers)) head += `${name}: ${value}\r\n`;
    socket.write(`${head}\r\n`);
    socket.on('data', (text: string) => this.receive(text));
    socket.on('error', (error) => this.finish(error));
    socket.on('close', () => this.finish(null));
  }

  close(): void {
    this.closed = true;
    this.socket.destroy();
  }

  private finish(error: Error | null): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
    const isStream = this.status === 200 && this.phase !== Phase.Plain;
    this.handlers.onClose({ status: this.status, body: isStream ? '' : this.buffer, error });
  }

  private receive(text: string): void {
    this.buffer += text;
    for (;;) {
      switch (this.phase) {
        case Phase.Head: {
          const end = this.buffer.indexOf('\r\n\r\n');
          if (end < 0) return;
          this.readHead(this.buffer.slice(0, end));
          this.buffer = this.buffer.slice(end + 4);
          break;
        }
        case Phase.ChunkSize: {
          const end = this.buffer.indexOf('\r\n');
          if (end < 0) return;
          const size = Number.parseInt(this.buffer.slice(0, end), 16);
          this.buffer = this.buffer.slice(end + 2);
          if (!(size > 0)) {
            this.phase = Phase.Done;
            this.finish(null);
            return;
          }
          this.remaining = size;
          this.phase = Phase.ChunkData;
          break;
        }
        case Phase.ChunkData: {
          if (this.buffer.length === 0) return;
          const take = Math.min(this.remaining, this.buffer.length);
          this.feed(take === this.buffer.length ? this.buffer : this.buffer.slice(0, take));
          this.buffer = take === this.buffer.length ? '' : this.buffer.slice(take);
          this.remaining -= take;
          if (this.remaining > 0) return;
          this.phase = Phase.ChunkEnd;
          break;
        }
        case Phase.ChunkEnd: {
          if (this.buffer.length < 2) return;
          this.buffer = this.buffer.slice(2);
          this.phase = Phase.ChunkSize;
          break;
        }
        case Phase.Plain: {
          // Not a stream (an error answer): keep its body for onClose, up to its length.
          if (this.remaining >= 0 && this.buffer.length >= this.remaining) this.finish(null);
          return;
        }
        case Phase.Done:
          return;
      }
    }
  }

  private readHead(head: string): void {
    const lines = head.split('\r\n');
    this.status = Number(lines[0]?.split(' ')[1] ?? 0);
    let length = -1;
    for (let k = 1; k < lines.length; k++) {
      const line = lines[k]!;
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === 'transfer-encoding' && value.toLowerCase().includes('chunked')) this.chunked = true;
      if (name === 'content-length') length = Number(value);
    }
    if (this.status === 200 && this.chunked) this.phase = Phase.ChunkSize;
    else if (this.status === 200 && length < 0) {
      // Delimited by the connection's close: every byte is event text.
      this.phase = Phase.ChunkData;
      this.remaining = Number.POSITIVE_INFINITY;
    } else {
      this.phase = Phase.Plain;
      this.remaining = length;
    }
  }

  /** Event-stream text: complete events end with a blank line. */
  private feed(text: string): void {
    this.events += text;
    let end = this.events.indexOf('\n\n');
    while (end >= 0) {
      const block = this.events.slice(0, end);
      this.events = this.events.slice(end + 2);
      this.dispatch(block);
      if (this.closed) return;
      end = this.events.indexOf('\n\n');
    }
  }

  private dispatch(block: string): void {
    let event = 'message';
    let data: string | null = null;
    for (const line of block.split('\n')) {
      if (line.startsWith('data:')) {
        const value = line.charCodeAt(5) === 32 ? line.slice(6) : line.slice(5);
        data = data === null ? value : `${data}\n${value}`;
      } else if (line.startsWith('event:')) {
        event = line.slice(line.charCodeAt(6) === 32 ? 7 : 6);
      }
      // Comments (": keep-alive") and `retry:` need nothing.
    }
    if (data !== null) this.handlers.onEvent(event, data);
  }
}
