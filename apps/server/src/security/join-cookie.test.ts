import { serialize } from 'cookie';
import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { JOIN_COOKIE, joinCookie } from './join-cookie.js';

const request = (protocol: string, hostname: string) => ({ protocol, hostname }) as FastifyRequest;
const TOKEN = 'q1.sale.AbCdEfGhIjKlMnOp.lx3k9z.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmUtc2ln';

describe('the join cookie', () => {
  it('is what `cookie` writes for the room, the lifetime and the transport, however often it is asked for', () => {
    const cases: [FastifyRequest, string, boolean][] = [
      [request('http', '127.0.0.1'), 'sale', false],
      [request('http', 'shop.localhost'), 'sale', false],
      [request('https', 'shop.example'), 'sale', true],
      [request('http', 'shop.example'), 'spring sale/2026', true],
    ];
    for (const [req, roomId, secure] of cases) {
      const expected = serialize(JOIN_COOKIE, TOKEN, {
        path: `/api/rooms/${encodeURIComponent(roomId)}/tickets`,
        maxAge: 3600,
        httpOnly: true,
        sameSite: 'strict',
        secure,
      });
      expect(joinCookie(req, roomId, TOKEN, 3600)).toBe(expected);
      // Again, from the attributes kept: the same text, another token in it.
      expect(joinCookie(req, roomId, `${TOKEN}x`, 3600)).toBe(expected.replace(TOKEN, `${TOKEN}x`));
    }
    expect(joinCookie(request('http', '127.0.0.1'), 'sale', TOKEN, 60)).toContain('Max-Age=60');
  });

  it('refuses to write a value that is not a queue token', () => {
    expect(() => joinCookie(request('http', '127.0.0.1'), 'sale', 'a b;c', 60)).toThrow(/not a cookie value/);
  });
});
