/**
 * A fresh Idempotency-Key. `crypto.randomUUID` exists only on HTTPS and localhost;
 * `getRandomValues` exists everywhere, so a shop served over plain HTTP still gets one.
 */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
