/**
 * @fastify/rate-limit ships its in-memory store as a file of its own with no types; the join
 * limit (plugins/join-limit.ts) uses it directly.
 */
declare module '@fastify/rate-limit/store/LocalStore.js' {
  export default class LocalStore {
    constructor(continueExceeding: boolean, exponentialBackoff: boolean, cache?: number);
    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      timeWindow: number,
      max: number,
    ): void;
  }
}
