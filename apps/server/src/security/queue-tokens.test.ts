import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Hmac, QueueTokens } from './queue-tokens.js';

const SECRET = 'queue-token-unit-test-secret-0123456789abcdef';

describe('queue tokens', () => {
  it('name their room and ticket, and are refused in another room', () => {
    const tokens = new QueueTokens(SECRET, 3600);
    const token = tokens.issue('spring-sale', 'ticket-1');
    expect(tokens.verify(token, 'spring-sale')).toMatchObject({ sub: 'ticket-1', rid: 'spring-sale' });
    expect(() => tokens.verify(token, 'autumn-sale')).toThrow(
      expect.objectContaining({ code: 'INVALID_TOKEN' }),
    );
  });

  it('expire after their lifetime even when they were checked before', () => {
    let now = Date.parse('2026-11-26T12:00:00Z');
    const tokens = new QueueTokens(SECRET, 3600, () => now);
    const token = tokens.issue('sale', 't');
    expect(tokens.verify(token, 'sale').sub).toBe('t');
    now += 3600_000 + 10_000;
    expect(() => tokens.verify(token, 'sale')).toThrow(expect.objectContaining({ code: 'TOKEN_EXPIRED' }));
  });

  it('are checked afresh by a server with another secret', () => {
    const token = new QueueTokens(SECRET, 3600).issue('sale', 't');
    const other = new QueueTokens(`${SECRET}-other`, 3600);
    expect(() => other.verify(token, 'sale')).toThrow(expect.objectContaining({ code: 'INVALID_TOKEN' }));
  });

  it('stay refused when forged, however often they are shown', () => {
    const tokens = new QueueTokens(SECRET, 3600);
    const genuine = tokens.issue('sale', 'mine');
    const forged = genuine.replace('.mine.', '.yours.');
    for (let i = 0; i < 3; i++) {
      expect(() => tokens.verify(forged, 'sale')).toThrow(expect.objectContaining({ code: 'INVALID_TOKEN' }));
    }
    expect(tokens.verify(genuine, 'sale').sub).toBe('mine');
  });

  it('keep verifying every genuine token when more are shown than the cache holds', () => {
    const tokens = new QueueTokens(SECRET, 3600, Date.now, 8);
    const issued = Array.from({ length: 50 }, (_, i) => tokens.issue('sale', `t${i}`));
    for (let round = 0; round < 2; round++) {
      issued.forEach((token, i) => {
        expect(tokens.verify(token, 'sale').sub).toBe(`t${i}`);
      });
    }
  });
});

describe('the queue tokens’ HMAC', () => {
  const reference = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest();
  // ASCII keys up to a block take the one-shot path; longer or non-ASCII keys and texts take createHmac.
  const keys = fc.oneof(
    fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 64 }).map((k) => Buffer.from(k, 'latin1')),
    fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
    fc.string({ unit: 'binary-ascii', minLength: 65, maxLength: 200 }).map((k) => Buffer.from(k, 'latin1')),
  );
  const texts = fc.oneof(
    fc.string({ unit: 'binary-ascii', maxLength: 300 }),
    fc.string({ unit: 'binary', maxLength: 100 }),
  );

  it('is HMAC-SHA256 on either path, for any key and text', () => {
    fc.assert(
      fc.property(keys, texts, (key, text) => {
        const hmac = new Hmac(key);
        const expected = reference(key, text);
        expect(hmac.base64url(text)).toBe(expected.toString('base64url'));
        expect(Buffer.from(hmac.digest(text)).equals(expected)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('gives each call its own answer although the fast path reuses its buffers', () => {
    const hmac = new Hmac(Buffer.from(SECRET));
    const texts = Array.from({ length: 50 }, (_, i) => `q1.sale.ticket-${i}.abc`);
    const macs = texts.map((text) => hmac.base64url(text));
    expect(new Set(macs).size).toBe(texts.length);
    texts.forEach((text, i) => {
      expect(macs[i]).toBe(reference(Buffer.from(SECRET), text).toString('base64url'));
      expect(hmac.digest(text).toString('base64url')).toBe(macs[i]);
    });
  });

  it('signs and checks tokens with a secret that is not ASCII (through createHmac)', () => {
    const fast = new QueueTokens(SECRET, 3600, () => 0);
    const slowSecret = `${SECRET}é`;
    const slow = new QueueTokens(slowSecret, 3600, () => 0);
    const token = fast.issue('sale', 'ticket');
    const body = token.slice(0, token.lastIndexOf('.'));
    expect(token.slice(body.length + 1)).toBe(reference(Buffer.from(SECRET), body).toString('base64url'));
    const slowToken = slow.issue('sale', 'ticket');
    expect(slowToken.slice(body.length + 1)).toBe(
      reference(Buffer.from(slowSecret, 'utf8'), body).toString('base64url'),
    );
    expect(slow.verify(slowToken, 'sale').sub).toBe('ticket');
    expect(() => slow.verify(token, 'sale')).toThrow(expect.objectContaining({ code: 'INVALID_TOKEN' }));
  });
});
