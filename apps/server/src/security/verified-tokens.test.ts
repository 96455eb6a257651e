import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { Hmac, QueueTokens } from './queue-tokens.js';
import { VerifiedTokens } from './verified-tokens.js';

const SECRET = 'verified-tokens-unit-test-secret-0123456789';
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const ticketId = fc.string({ unit: fc.constantFrom(...BASE64URL), minLength: 1, maxLength: 20 });
const roomId = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/);

/** The claims QueueTokens gives for a genuine token (what `add` is given after the HMAC). */
function claimsOf(token: string) {
  const [, rid, sub, exp] = token.split('.') as [string, string, string, string, string];
  return { sub, rid, exp: Number.parseInt(exp, 36) };
}

describe('verified tokens', () => {
  it('give back the claims of a token added, for its room only', () => {
    fc.assert(
      fc.property(roomId, roomId, ticketId, (room, other, ticket) => {
        const token = new QueueTokens(SECRET, 3600).issue(room, ticket);
        const verified = new VerifiedTokens(64);
        expect(verified.find(token, room)).toBeNull();
        verified.add(token, claimsOf(token));
        expect(verified.find(token, room)).toEqual(claimsOf(token));
        if (other !== room) expect(verified.find(token, other)).toBeNull();
      }),
    );
  });

  it('take no token that differs from one added by any one character', () => {
    const printable = fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c));
    fc.assert(
      fc.property(roomId, ticketId, fc.nat(), printable, (room, ticket, at, c) => {
        const token = new QueueTokens(SECRET, 3600).issue(room, ticket);
        const verified = new VerifiedTokens(64);
        verified.add(token, claimsOf(token));
        const k = at % token.length;
        fc.pre(token[k] !== c);
        const changed = token.slice(0, k) + c + token.slice(k + 1);
        expect(verified.find(changed, room)).toBeNull();
        // Nor one character more or less.
        expect(verified.find(`${token}A`, room)).toBeNull();
        expect(verified.find(token.slice(0, k) + token.slice(k + 1), room)).toBeNull();
      }),
    );
  });

  it('keep among many tokens each one apart, its own claims every time', () => {
    const tokens = new QueueTokens(SECRET, 3600);
    const verified = new VerifiedTokens(2000);
    const issued = Array.from({ length: 2000 }, (_, i) => tokens.issue(`room-${i % 7}`, `t${i}`));
    for (const token of issued) verified.add(token, claimsOf(token));
    issued.forEach((token, i) => {
      expect(verified.find(token, `room-${i % 7}`)).toEqual({
        sub: `t${i}`,
        rid: `room-${i % 7}`,
        exp: claimsOf(token).exp,
      });
    });
  });

  it('do not remember a token whose parts do not fit an entry', () => {
    const tokens = new QueueTokens(SECRET, 3600);
    const verified = new VerifiedTokens(64);
    const long = tokens.issue('sale', 'x'.repeat(21));
    verified.add(long, claimsOf(long));
    expect(verified.find(long, 'sale')).toBeNull();
    // The same expiry written with a leading zero is another text (its MAC would differ).
    const token = tokens.issue('sale', 'ticket');
    const [q, room, ticket, exp, mac] = token.split('.');
    const padded = [q, room, ticket, `0${exp}`, mac].join('.');
    verified.add(token, claimsOf(token));
    expect(verified.find(token, 'sale')).not.toBeNull();
    expect(verified.find(padded, 'sale')).toBeNull();
  });

  it('remember between one and two generations of tokens, and keep those still shown', () => {
    const tokens = new QueueTokens(SECRET, 3600);
    const verified = new VerifiedTokens(100);
    const issued = Array.from({ length: 350 }, (_, i) => tokens.issue('sale', `t${i}`));
    const kept = issued[0]!;
    verified.add(kept, claimsOf(kept));
    issued.slice(1).forEach((token, i) => {
      verified.add(token, claimsOf(token));
      // Shown again every 50 tokens: it moves on with each generation.
      if (i % 50 === 0) expect(verified.find(kept, 'sale')).not.toBeNull();
    });
    expect(verified.find(kept, 'sale')).not.toBeNull();
    // 349 added after the first: the last generation of 100 and the one before are held.
    expect(verified.find(issued[349]!, 'sale')).not.toBeNull();
    expect(verified.find(issued[250]!, 'sale')).not.toBeNull();
    expect(verified.find(issued[10]!, 'sale')).toBeNull();
  });

  it('spare the HMAC when a token shown before is shown again', () => {
    const tokens = new QueueTokens(SECRET, 3600);
    const token = tokens.issue('sale', 'ticket-1');
    const digest = vi.spyOn(Hmac.prototype, 'digest');
    try {
      expect(tokens.verify(token, 'sale').sub).toBe('ticket-1');
      expect(digest).toHaveBeenCalledTimes(1);
      for (let i = 0; i < 5; i++) expect(tokens.verify(token, 'sale').sub).toBe('ticket-1');
      expect(digest).toHaveBeenCalledTimes(1);
      // Another room's read of it is refused, after its HMAC.
      expect(() => tokens.verify(token, 'other')).toThrow(expect.objectContaining({ code: 'INVALID_TOKEN' }));
    } finally {
      digest.mockRestore();
    }
  });
});
