import { describe, expect, it } from 'vitest';
import { SseParser } from './sse-parser';

describe('reading a server-sent event stream', () => {
  it('gives each whole event with its name and data, skipping comments and the retry field', () => {
    const parser = new SseParser();
    const events = parser.push(
      'retry: 3000\nevent: status\ndata: {"a":1}\n\n: keep-alive\n\nevent: status\ndata: 2\n\n',
    );
    expect(events).toEqual([
      { event: 'status', data: '{"a":1}' },
      { event: 'status', data: '2' },
    ]);
  });

  it('joins events split across chunks anywhere, CRLF line ends included', () => {
    const parser = new SseParser();
    const text =
      'event: status\r\ndata: {"position":12}\r\n\r\nevent: status\r\ndata: {"position":11}\r\n\r\n';
    const seen = [];
    for (const ch of text) seen.push(...parser.push(ch));
    expect(seen.map((e) => JSON.parse(e.data))).toEqual([{ position: 12 }, { position: 11 }]);
  });

  it('joins several data lines with a line feed and names an unnamed event "message"', () => {
    expect(new SseParser().push('data: a\ndata: b\n\n')).toEqual([{ event: 'message', data: 'a\nb' }]);
  });
});
