import { connect } from 'node:net';

// HTTP over a bare socket, for what `app.inject` cannot send: a malformed request line, a bad
// Content-Length, a header Node itself refuses, a body cut short.

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Writes `bytes` to a fresh connection, half-closes it, and reads every answer until the
 * server closes (or `waitMs` passes): what inject cannot send, a malformed request line, a bad
 * Content-Length, a header Node itself refuses.
 */
export function rawExchange(url: string, bytes: string | Buffer, waitMs = 5000): Promise<RawAnswer[]> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1');
    const chunks: Buffer[] = [];
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(parseAnswers(Buffer.concat(chunks).toString('latin1')));
    };
    const timer = setTimeout(done, waitMs);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', () => {});
    socket.on('close', done);
    socket.write(bytes, () => socket.end());
  });
}

/** The answers in a raw HTTP/1.1 stream (interim 1xx ones left out). */
function parseAnswers(text: string): RawAnswer[] {
  const answers: RawAnswer[] = [];
  let rest = text;
  while (rest.startsWith('HTTP/')) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) break;
    const [statusLine = '', ...lines] = rest.slice(0, end).split('\r\n');
    const status = Number(statusLine.split(' ')[1]);
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    rest = rest.slice(end + 4);
    let body = '';
    if (headers['transfer-encoding']?.includes('chunked')) {
      for (;;) {
        const line = rest.indexOf('\r\n');
        const size = Number.parseInt(rest.slice(0, line), 16);
        if (line < 0 || !Number.isFinite(size)) break;
        body += rest.slice(line + 2, line + 2 + size);
        rest = rest.slice(line + 2 + size + 2);
        if (size === 0) break;
      }
    } else {
      const length = Number(headers['content-length'] ?? 0);
      body = rest.slice(0, length);
      rest = rest.slice(length);
    }
    if (status >= 200) answers.push({ status, headers, body });
  }
  return answers;
}

/** Requests a client could send as they are; the raw fuzz breaks them byte by byte. */
export const RAW_REQUESTS = [
  'GET /api/rooms/sale HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\n\r\n',
  'POST /api/orders HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer not-a-token\r\nIdempotency-Key: k\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{"items":[1]}',
  'PATCH /api/admin/rooms/sale HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{"status":1}',
  'POST /api/admin/rooms/sale/admit HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"cou\r\n6\r\nnt":1}\r\n0\r\n\r\n',
  'GET /api/admin/orders?limit=2&cursor=abc HTTP/1.1\r\nHost: x\r\nAuthorization: Basic Zm9vOmJhcg==\r\n\r\n',
];

/** Requests Node's parser or server refuses before any route sees them (`@admin@`: the operator's token). */
export const MALFORMED_HTTP: [string, string][] = [
  [
    'a Content-Length that is not a number',
    'GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n',
  ],
  ['a negative Content-Length', 'POST /api/orders HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n'],
  [
    'two different Content-Lengths',
    'POST /api/orders HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n{}',
  ],
  [
    'both Content-Length and chunked',
    'POST /api/orders HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
  ],
  [
    'a chunk size that is not hex',
    'POST /api/admin/rooms HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer @admin@\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
  ],
  [
    'a body longer than its Content-Length',
    'POST /api/admin/rooms HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer @admin@\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}GARBAGE\r\n\r\n',
  ],
  ['a control character in a header', 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: \u0001\r\n\r\n'],
  ['a space in a header name', 'GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n'],
  ['a folded header', 'GET /healthz HTTP/1.1\r\nHost: x\r\n Folded: y\r\n\r\n'],
  ['headers too large', `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`],
  ['a request line that is not HTTP', 'GARBAGE\r\n\r\n'],
  ['an unknown HTTP version', 'GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n'],
  ['bare line feeds', 'GET /healthz HTTP/1.1\nHost: x\n\n'],
  ['a space in the path', 'GET /api/rooms/a b HTTP/1.1\r\nHost: x\r\n\r\n'],
  ['a NUL in the path', 'GET /api/rooms/\u0000 HTTP/1.1\r\nHost: x\r\n\r\n'],
  ['raw UTF-8 in the path', 'GET /api/rooms/\u00e4\u00b8\u00ad HTTP/1.1\r\nHost: x\r\n\r\n'],
  ['no Host header in HTTP/1.1', 'GET /healthz HTTP/1.1\r\n\r\n'],
  [
    'an Expect other than 100-continue',
    'POST /api/admin/rooms HTTP/1.1\r\nHost: x\r\nExpect: garbage\r\nContent-Length: 2\r\n\r\n{}',
  ],
  ['an unknown method', 'BREW /api/rooms/sale HTTP/1.1\r\nHost: x\r\n\r\n'],
  [
    'a body cut short',
    'POST /api/admin/rooms HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer @admin@\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":1}',
  ],
];
