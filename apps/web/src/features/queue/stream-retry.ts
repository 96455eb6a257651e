/**
 * After the live stream failed `failures` times in a row, how long the page polls before it
 * tries the stream again: 5 s, 10 s, 20 s … up to a minute. Used by `useTicket`, and by the
 * sale simulator in bench/ so that its streaming shoppers do what the page does.
 */
export function streamRetryDelayMs(failures: number): number {
  if (failures <= 0) return 0;
  return Math.min(60_000, 5000 * 2 ** (failures - 1));
}
