import { describe, expect, it } from 'vitest';
import { formatClock, formatWait, formatWaitRange, spokenDuration } from './duration';

describe('durations as a shopper reads them', () => {
  it('says a wait in seconds, minutes or hours', () => {
    expect(formatWait(45)).toBe('45 s');
    expect(formatWait(12 * 60 + 10)).toBe('12 min');
    expect(formatWait(3600 + 5 * 60)).toBe('1 h 05 min');
    expect(formatWait(2 * 3600 - 10)).toBe('2 h 00 min');
  });

  it('says a range once in its unit when both ends share it', () => {
    expect(formatWaitRange(120, 300)).toBe('2–5 min');
    expect(formatWaitRange(30, 70)).toBe('30 s – 1 min');
    expect(formatWaitRange(20, 40)).toBe('20–40 s');
    expect(formatWaitRange(60, 60)).toBe('1 min');
  });

  it('shows a countdown as a clock and reads it aloud in words', () => {
    expect(formatClock(65)).toBe('1:05');
    expect(formatClock(3723)).toBe('1:02:03');
    expect(formatClock(2 * 86_400 + 61)).toBe('2 d 00:01:01');
    expect(formatClock(-3)).toBe('0:00');
    expect(spokenDuration(3661)).toBe('1 hour 1 minute 1 second');
    expect(spokenDuration(0)).toBe('0 seconds');
  });
});
