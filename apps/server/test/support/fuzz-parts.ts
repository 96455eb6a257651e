import fc from 'fast-check';

// The parts of a request other than its body: the token, odd headers, path parameters, the
// query, and paths no route names. Real tokens and ids are named by symbols, resolved when
// the request is sent, so that a counterexample fast-check prints carries no secret.

/** Tokens the test holds, valid for what they are. */
export const KNOWN_TOKENS = [
  'admin',
  'read-key',
  'write-key',
  'queue',
  'queue-admitted',
  'queue-soon',
  'admission',
  'used-admission',
] as const;
export type KnownToken = (typeof KNOWN_TOKENS)[number];

/** Tokens that must open nothing: forged, tampered, of the wrong kind, or signed for no ticket. */
export const FORGED_TOKENS = [
  'alg-none',
  'alg-none-upper',
  'hs256-with-public-key',
  'foreign-key-same-kid',
  'tampered-sub',
  'tampered-room',
  'no-kid',
  'kid-traversal',
  'jku-header',
  'wrong-typ',
  'signed-expired',
  'signed-proto-sub',
  'signed-constructor-room',
  'signed-long-sub',
  'signed-empty-sub',
  'signed-unicode-sub',
  'queue-bad-mac',
  'queue-proto-ticket',
  'queue-constructor-room',
  'queue-expired',
  'admin-with-suffix',
  'admin-truncated',
  'read-key-truncated',
] as const;
export type ForgedToken = (typeof FORGED_TOKENS)[number];

export type AuthChoice =
  | { kind: 'none' }
  | { kind: 'known'; token: KnownToken; scheme: string }
  | { kind: 'forged'; token: ForgedToken }
  /** The whole header value, made up. */
  | { kind: 'raw'; value: string };

export const METHODS = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
  'TRACE',
  'PROPFIND',
  'SEARCH',
];

const jwtLike = fc
  .tuple(fc.base64String({ maxLength: 40 }), fc.base64String({ maxLength: 80 }), fc.base64String())
  .map(([a, b, c]) =>
    [a, b, c].map((s) => s.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')).join('.'),
  );

export const auth: fc.Arbitrary<AuthChoice> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ kind: 'none' as const }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('known' as const),
      token: fc.constantFrom(...KNOWN_TOKENS),
      scheme: fc.constantFrom(
        'Bearer ',
        'Bearer ',
        'Bearer ',
        'bearer ',
        'BEARER  ',
        'Basic ',
        'Bearer',
        'Token ',
      ),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('forged' as const), token: fc.constantFrom(...FORGED_TOKENS) }),
  },
  {
    weight: 2,
    arbitrary: fc
      .oneof(
        fc.string({ unit: 'binary', maxLength: 60 }),
        fc.string({ maxLength: 60 }).map((s) => `Bearer ${s}`),
        jwtLike.map((s) => `Bearer ${s}`),
        fc.base64String({ maxLength: 60 }).map((s) => `Basic ${s}`),
        fc.constantFrom(
          'Bearer',
          'Bearer ',
          'Bearer  ',
          ' Bearer x',
          'Bearer x y',
          'Bearer q1.sale.x.y.z',
          'Bearer q1....',
          'Bearer eyJ.eyJ.',
          'Bearer ..',
          `Bearer ${'x'.repeat(4096)}`,
          `Bearer ${'x'.repeat(4097)}`,
          `Bearer ${'x'.repeat(20_000)}`,
          'Bearer null',
          'Bearer undefined',
          'Bearer [object Object]',
        ),
      )
      .map((value) => ({ kind: 'raw' as const, value })),
  },
);

/** Symbols in header values, replaced when the request is sent: a genuine queue token, a real challenge wrongly solved. */
export const HEADER_SYMBOLS = { queue: '@queue@', altcha: '@altcha@' } as const;

const base64Json = (text: string) => Buffer.from(text).toString('base64');

/** ALTCHA payloads (base64 JSON) of the right look and the wrong content. */
const ALTCHA_LIKE = [
  base64Json('{}'),
  base64Json('null'),
  base64Json('[1,2]'),
  base64Json('{"challenge":{},"solution":{}}'),
  base64Json('{"__proto__":{"challenge":{},"solution":{}}}'),
  base64Json(
    '{"challenge":{"parameters":{"algorithm":"PBKDF2/SHA-256","nonce":"n","salt":"s","keyPrefix":"00",' +
      '"expiresAt":9999999999,"cost":1000000000,"keyLength":1000000,"data":{"room":"sale"}},"signature":"x"},' +
      '"solution":{"counter":1,"derivedKey":"00"}}',
  ),
  base64Json(
    '{"challenge":{"parameters":{"algorithm":"PBKDF2/SHA-256","nonce":"n","salt":"s","keyPrefix":"00",' +
      '"expiresAt":1e400,"data":{"__proto__":{"room":"sale"}}},"signature":""},"solution":{"counter":-1,"derivedKey":"zz"}}',
  ),
];

/** Extra headers a client might send: odd Accept, Idempotency-Key garbage, and the like. */
export const extraHeaders: fc.Arbitrary<Record<string, string>> = fc
  .record(
    {
      accept: fc.constantFrom(
        'application/json',
        'text/html',
        '*/*',
        'application/xml',
        '',
        'text/event-stream',
        'garbage;;;q=x',
        'application/json;q=0',
      ),
      'idempotency-key': fc.oneof(
        fc.constantFrom('', ' ', 'key-1', 'x'.repeat(201), 'é', '\u0000', 'a b'),
        fc.string({ unit: 'binary', maxLength: 40 }),
      ),
      'x-request-id': fc.oneof(fc.constantFrom('', '../../x', 'x'.repeat(65), '<script>'), fc.string()),
      'x-forwarded-for': fc.constantFrom('', 'garbage', '1.2.3.4, ::1', '999.999.999.999'),
      'x-forwarded-proto': fc.constantFrom('https', 'gopher', ''),
      origin: fc.constantFrom('https://evil.example', 'null', ''),
      cookie: fc.constantFrom(
        'a=b',
        '=;;',
        '__proto__=1',
        'wr_place=q1.sale.x.y.z',
        'wr_place=%',
        `wr_place=${'x'.repeat(600)}`,
        'wr_place=a; wr_place=b',
        `wr_place=${HEADER_SYMBOLS.queue}`,
      ),
      'x-altcha': fc.oneof(
        fc.constantFrom('', 'garbage', '%%%', 'x'.repeat(5000), HEADER_SYMBOLS.altcha, ...ALTCHA_LIKE),
        fc.base64String({ maxLength: 80 }),
      ),
      range: fc.constantFrom('bytes=0-0', 'bytes=9999999-', 'bytes=x', 'bytes=-1,0-1,2-3'),
      'if-none-match': fc.constantFrom('*', '"x"', 'W/'),
      'x-http-method-override': fc.constantFrom('DELETE', 'PUT'),
      'content-encoding': fc.constantFrom('gzip', 'br', 'identity', 'x'),
    },
    { requiredKeys: [] },
  )
  .map(
    (h) => Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined)) as Record<string, string>,
  );

/** Symbols of real ids, replaced when the request is sent. */
export const REAL_IDS = {
  order: '@order@',
  ticket: '@ticket@',
  admittedTicket: '@admitted-ticket@',
} as const;

/** A path segment as it appears in the URL (already encoded, or deliberately not). */
export const paramText: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      'sale',
      'shut',
      'soon',
      'nowhere',
      REAL_IDS.order,
      REAL_IDS.ticket,
      REAL_IDS.admittedTicket,
    ),
  },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      '..',
      '.',
      '%2e%2e',
      '..%2f..%2fdata%2fsigning-keys.json',
      '..%5c..%5c',
      '%00',
      '%ff',
      '%E0%A4%A',
      '%',
      '%zz',
      'a%20b',
      '%252e%252e',
      'x'.repeat(101),
      'x'.repeat(201),
      'x'.repeat(3000),
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      'SALE',
      '-sale',
      'sale.json',
      'sale;x=1',
      'sale%3Fx',
      'sale%23x',
      'sale%2Fx',
      '%7Bsale%7D',
      'sale%7D%3Asettings',
      'sale*',
      '%E4%B8%AD%E6%96%87',
      '%F0%9F%98%80',
      'null',
      'undefined',
      '0',
      '-1',
      '1e400',
    ),
  },
  {
    weight: 2,
    arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).map(encodeURIComponent),
  },
  { weight: 1, arbitrary: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/) },
);

const queryKey = fc.oneof(
  fc.constantFrom(
    'limit',
    'limit',
    'cursor',
    'cursor',
    'roomId',
    'limit[]',
    'limit[0]',
    '__proto__',
    '__proto__[x]',
    'constructor[prototype][x]',
    'toString',
    '',
  ),
  fc.string({ maxLength: 8 }).map(encodeURIComponent),
);
const queryValue = fc.oneof(
  fc.constantFrom(
    '',
    '0',
    '-1',
    '1',
    '500',
    '501',
    '1.5',
    '1e3',
    '1e400',
    '0x10',
    'NaN',
    'true',
    'null',
    '%',
    '%zz',
    '%00',
    'sale',
    'x'.repeat(501),
    'eyJ9',
    'MTIzNDU2Nzg5MA',
    'AAAA',
    '999999999999999999999999',
    '2030-01-01T00:00:00Z',
  ),
  fc.base64String({ maxLength: 60 }).map(encodeURIComponent),
  fc.string({ unit: 'grapheme', maxLength: 30 }).map(encodeURIComponent),
);
export const query: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.constant('') },
  {
    weight: 3,
    arbitrary: fc
      .array(fc.tuple(queryKey, queryValue), { minLength: 1, maxLength: 4 })
      .map((pairs) => `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`),
  },
  { weight: 1, arbitrary: fc.constantFrom('?', '?&&', '?=', '?limit', '?limit=1&limit=2', '?a=1#frag') },
);

/** A path the router does not know, or one that tries to climb out of a folder it serves. */
export const unknownPath: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '/assets/..%2f..%2fcanary.txt',
    '/assets/%2e%2e/%2e%2e/canary.txt',
    '/assets/%2e%2e%2f%2e%2e%2fcanary.txt',
    '/assets/%252e%252e%252f%252e%252e%252fcanary.txt',
    '/assets/..\\..\\canary.txt',
    '/assets/....//....//canary.txt',
    '/assets/%c0%ae%c0%ae/%c0%ae%c0%ae/canary.txt',
    '/assets/..%2f..%2fdata%2fsigning-keys.json',
    '/assets/..%2f..%2fdata%2fqueue-token.secret',
    '/assets/..%2f..%2fdata%2fadmin-token.sha256',
    '/assets/..%00/x',
    '/assets/',
    '/assets/app.js',
    '/assets/app.js/..',
    '/rooms/..%2f..%2fcanary.txt',
    '/admin/..%2f..%2fcanary.txt',
    '/docs/static/..%2f..%2f..%2f..%2fpackage.json',
    '/docs/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/package.json',
    '/docs/json',
    '/docs/yaml',
    '//',
    '///api/rooms/sale',
    '/api/rooms/sale/',
    '/api/rooms/sale//tickets',
    '/api/rooms/sale/./tickets',
    '/API/ROOMS/SALE',
    '/api/rooms/sale;jsessionid=x',
    '/api/rooms/sale%2ftickets',
    '/.env',
    '/.git/config',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/\u0000',
    '/%',
    '/openapi.json/x',
    '/healthz/../metrics',
  ),
  fc
    .array(
      fc.oneof(
        fc.constantFrom(
          'api',
          'admin',
          'rooms',
          'orders',
          'tickets',
          'me',
          'events',
          'assets',
          'docs',
          '..',
          '.',
        ),
        paramText,
      ),
      { minLength: 1, maxLength: 6 },
    )
    .map((segments) => `/${segments.join('/')}`),
);
