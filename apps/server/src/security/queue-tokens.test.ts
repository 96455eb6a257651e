import { describe, expect, it } from 'vitest';
import { QueueTokens } from './queue-tokens.js';

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
