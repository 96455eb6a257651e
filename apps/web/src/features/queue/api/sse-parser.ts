export interface ServerSentEvent {
  event: string;
  data: string;
}

/**
 * Reads a `text/event-stream` piece by piece, as the network delivers it, and hands back the
 * whole events. The browser's EventSource cannot send an Authorization header, and queue
 * tokens never go in a URL, so the stream is read with fetch and parsed here.
 */
export class SseParser {
  private buffer = '';
  private event = '';
  private data: string[] = [];

  push(chunk: string): ServerSentEvent[] {
    this.buffer += chunk;
    const out: ServerSentEvent[] = [];
    // A CR at the very end may be the first half of a CRLF: keep it for the next chunk.
    const keep = this.buffer.endsWith('\r') ? 1 : 0;
    const text = this.buffer.slice(0, this.buffer.length - keep);
    const lines = text.split(/\r\n|\r|\n/);
    this.buffer = (lines.pop() ?? '') + this.buffer.slice(this.buffer.length - keep);
    for (const line of lines) {
      if (line === '') {
        if (this.data.length > 0) out.push({ event: this.event || 'message', data: this.data.join('\n') });
        this.event = '';
        this.data = [];
        continue;
      }
      if (line.startsWith(':')) continue; // a comment: the server's keep-alive
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') this.event = value;
      else if (field === 'data') this.data.push(value);
    }
    return out;
  }
}
