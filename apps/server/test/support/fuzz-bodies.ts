import fc from 'fast-check';

// The bodies the fuzz test sends: a route's valid body with a few changes, made-up JSON, and
// texts that are not the JSON they claim to be.

export type BodyChoice =
  | { kind: 'none' }
  /** The route's valid body with these changes (none: the valid body itself). */
  | { kind: 'template'; mutations: Mutation[] }
  | { kind: 'json'; value: unknown }
  | { kind: 'text'; text: string }
  | { kind: 'bytes'; bytes: number[] };

export interface Mutation {
  /** Each step picks a key of the object (or an index of the array) by its position, modulo their count. */
  path: number[];
  op: 'set' | 'delete' | 'add-key';
  key: string;
  value: unknown;
}

/** A number written as such in the JSON text (`"@raw:1e400@"` becomes `1e400`). */
const raw = (text: string) => `@raw:${text}@`;

const strangeStrings = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  '\t\n',
  'null',
  '1',
  '-1',
  'NaN',
  'Infinity',
  '1e400',
  '😀',
  '\ud800',
  'e\u0301',
  '\u202e\u202d',
  '中文',
  '"><script>alert(1)</script>',
  "' OR 1=1 --",
  '../../etc/passwd',
  '%00',
  '{{7*7}}',
  '$\u007b7*7}',
  '__proto__',
  'constructor',
  'toString',
  'a@b',
  'a@b.c',
  'x'.repeat(201),
  'x'.repeat(5000),
  '2020-12-31T23:59:60Z',
  '2020-02-30T00:00:00Z',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999Z',
  '+275760-09-13T00:00:00Z',
  '1970-01-01T00:00:00+23:59',
  '2030-01-01t00:00:00z',
  '2030-01-01T00:00:00.123456789012Z',
  '+4477009',
  `+${'9'.repeat(15)}`,
  'EUR',
  'eur',
);

const strangeNumbers = fc.constantFrom(
  0,
  -0,
  -1,
  0.5,
  1.5,
  2 ** 31,
  2 ** 53 + 2,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.MIN_VALUE,
  raw('1e400'),
  raw('-1e400'),
  raw('2e-400'),
  raw('123456789012345678901234567890'),
  raw('1.0'),
  raw('1E2'),
  raw('-0'),
);

/** A value to put where the body expects something else. */
export const strangeValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: strangeStrings },
  { weight: 3, arbitrary: strangeNumbers },
  fc.constantFrom(null, true, false, [], {}, [null], [[]], JSON.parse('{"__proto__":{"isAdmin":true}}')),
  fc.integer(),
  fc.double(),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.jsonValue({ maxDepth: 3 }),
);

const mutation: fc.Arbitrary<Mutation> = fc.record({
  path: fc.array(fc.nat(20), { maxLength: 4 }),
  op: fc.constantFrom('set', 'set', 'set', 'delete', 'add-key'),
  key: fc.oneof(
    fc.constantFrom(
      '__proto__',
      'constructor',
      'prototype',
      'extra',
      'count',
      'id',
      'status',
      'altcha',
      'requireChallenge',
      '',
    ),
    fc.string({ maxLength: 10 }),
  ),
  value: strangeValue,
});

/** Texts that are not the JSON they claim to be, or JSON a parser may choke on. */
function malformedTexts(): fc.Arbitrary<string> {
  const depth = fc.integer({ min: 1, max: 20_000 });
  return fc.oneof(
    fc.constantFrom(
      '',
      ' ',
      '{',
      '}',
      '{"count":',
      '{"count":1,}',
      "{'count':1}",
      '{count:1}',
      '{"count":1}{"count":2}',
      '{"count":1} trailing',
      '{"count":NaN}',
      '{"count":Infinity}',
      '{"count":0x10}',
      '{"count":01}',
      '{"count":1 /* comment */}',
      '\ufeff{"count":1}',
      '{"count":1,"count":"x"}',
      '{"__proto__":{"isAdmin":true}}',
      '{"constructor":{"prototype":{"isAdmin":true}}}',
      '{"a":{"__proto__":{"b":1}}}',
      '[{"__proto__":[]}]',
      '{"\\u005f_proto__":{"x":1}}',
      '"\\ud800"',
      '"\\u0000"',
      'null',
      'true',
      '0',
      '-0',
      '1e400',
      '"string"',
      '[]',
      '[1,2,3]',
      'undefined',
      '<?xml version="1.0"?><a/>',
      'count=1&id=x',
      '--x\r\nContent-Disposition: form-data; name="count"\r\n\r\n1\r\n--x--',
    ),
    depth.map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
    depth.map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`),
    depth.map((n) => `{"count":${'['.repeat(n)}${']'.repeat(n)}}`),
    depth.map((n) => '['.repeat(n)),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.constantFrom(1024, 2048, 64 * 1024 + 1, 70 * 1024).map((n) => `{"pad":"${'x'.repeat(n)}"}`),
  );
}

export const body: fc.Arbitrary<BodyChoice> = fc.oneof(
  { weight: 2, arbitrary: fc.constant<BodyChoice>({ kind: 'none' }) },
  {
    weight: 6,
    arbitrary: fc
      .array(mutation, { minLength: 0, maxLength: 3 })
      .map((mutations): BodyChoice => ({ kind: 'template', mutations })),
  },
  {
    weight: 2,
    arbitrary: fc
      .oneof(
        fc.jsonValue({ maxDepth: 4 }),
        fc.dictionary(fc.string({ maxLength: 12 }), strangeValue, { maxKeys: 5 }),
      )
      .map((value): BodyChoice => ({ kind: 'json', value })),
  },
  { weight: 3, arbitrary: malformedTexts().map((text): BodyChoice => ({ kind: 'text', text })) },
  {
    weight: 1,
    arbitrary: fc
      .oneof(
        fc.constantFrom(
          [0xff, 0xfe, 0x7b, 0x7d],
          [0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d],
          [0xc0, 0xae],
        ),
        fc.array(fc.nat(255), { maxLength: 64 }),
      )
      .map((bytes): BodyChoice => ({ kind: 'bytes', bytes: [...bytes] })),
  },
);

export const contentType = fc.oneof(
  { weight: 8, arbitrary: fc.constant('application/json') },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      null,
      'application/json; charset=utf-8',
      'application/json; charset=utf-16',
      'application/json; charset=bogus',
      'APPLICATION/JSON',
      'application/json;',
      'application/json, text/plain',
      'text/plain',
      'text/plain; charset=utf-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/xml',
      'application/vnd.api+json',
      'application/jsonx',
      'application/octet-stream',
      '',
      '*/*',
      ';;;',
      'application/json; boundary="\\"',
    ),
  },
);

/** Applies `mutations` to a copy of `template` (`__proto__` and the like as plain own keys). */
export function mutate(template: unknown, mutations: readonly Mutation[]): unknown {
  const copy: unknown = structuredClone(template);
  let root = copy;
  for (const m of mutations) {
    if (m.path.length === 0 && m.op === 'set') {
      root = structuredClone(m.value);
      continue;
    }
    let parent: unknown = null;
    let at: string | null = null;
    let node = root;
    for (const step of m.path) {
      if (node === null || typeof node !== 'object') break;
      const keys = Object.keys(node);
      if (keys.length === 0) break;
      parent = node;
      at = keys[step % keys.length] ?? null;
      node = (node as Record<string, unknown>)[at ?? ''];
    }
    if (m.op === 'add-key' || at === null || parent === null) {
      const target = node !== null && typeof node === 'object' ? node : root;
      // JSON leaves out an array's named keys: an array gets one more item instead.
      if (Array.isArray(target)) target.push(structuredClone(m.value));
      else if (target !== null && typeof target === 'object') define(target, m.key, structuredClone(m.value));
      continue;
    }
    if (m.op === 'delete') {
      if (Array.isArray(parent)) parent.splice(Number(at), 1);
      else delete (parent as Record<string, unknown>)[at];
    } else {
      define(parent as object, at, structuredClone(m.value));
    }
  }
  return root;
}

function define(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** JSON text in which `"@raw:…@"` placeholders become the bare numbers they name. */
export function jsonText(value: unknown): string {
  return (JSON.stringify(value) ?? 'null').replace(/"@raw:([^"@]*)@"/g, '$1');
}
