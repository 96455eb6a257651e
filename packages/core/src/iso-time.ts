/** Seconds whose text is kept; a sale's tickets joined within about an hour all fit. */
const SECONDS_KEPT = 4096;
/** The latest instant `Date` can write in the `YYYY-MM-DDTHH:mm:ss.sssZ` form. */
const LAST_PLAIN_MS = 253_402_300_799_999;

const prefixes = new Map<number, string>();

/**
 * `new Date(ms).toISOString()`, cheaper for the times a ticket status carries. Every status
 * read and every join writes the ticket's `joinedAt`, and building a `Date` to print it costs
 * about as much as finding the ticket's position. The text up to the second
 * (`2026-11-27T10:15:42.`) is kept for the seconds asked lately, so a time in one of them
 * costs only its milliseconds. Anything but a whole millisecond within years 1970–9999 goes
 * to `toISOString` as it is.
 */
export function isoTime(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0 || ms > LAST_PLAIN_MS) return new Date(ms).toISOString();
  const second = Math.floor(ms / 1000);
  let prefix = prefixes.get(second);
  if (prefix === undefined) {
    prefix = new Date(second * 1000).toISOString().slice(0, 20);
    if (prefixes.size >= SECONDS_KEPT) prefixes.clear();
    prefixes.set(second, prefix);
  }
  const milli = ms - second * 1000;
  return `${prefix}${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
}
