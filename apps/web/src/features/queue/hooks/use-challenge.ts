import { useCallback, useEffect, useRef } from 'react';
import { type SolvedChallenge, solveRoomChallenge } from '../proof-of-work';

/** Left before a prepared solution expires, for the join to reach the server in time. */
const MARGIN_MS = 15_000;

/**
 * For a room that asks each join for a proof of work: solves one challenge in the background
 * as soon as the room says so (while `prepareNow`: the shopper is not in line already), so
 * that the join button finds it ready. Returns `take`, which
 * gives the prepared solution (once: a solution buys one join), or solves a fresh one when
 * none is ready or it expired; `force` solves one even where the room did not say it needs
 * one (it may have just been switched on).
 */
export function useChallenge(
  roomId: string,
  required: boolean,
  prepareNow = true,
): (force?: boolean) => Promise<string | undefined> {
  const prepared = useRef<Promise<SolvedChallenge> | null>(null);

  const prepare = useCallback(() => {
    const solving = solveRoomChallenge(roomId);
    // A failure here is met again, and shown, when the shopper joins.
    solving.catch(() => {});
    prepared.current = solving;
  }, [roomId]);

  useEffect(() => {
    if (required && prepareNow && prepared.current === null) prepare();
  }, [required, prepareNow, prepare]);

  return useCallback(
    async (force = false) => {
      if (!required && !force) return undefined;
      const ready = force ? null : prepared.current;
      prepared.current = null;
      const solved = ready ? await ready.catch(() => null) : null;
      if (solved && solved.expiresAt - MARGIN_MS > Date.now()) return solved.payload;
      return (await solveRoomChallenge(roomId)).payload;
    },
    [required, roomId],
  );
}
