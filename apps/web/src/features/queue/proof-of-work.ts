import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/web/pbkdf2';
import type { Challenge } from '../../shared/api/types';
import { getChallenge } from './api/get-challenge';

/** A solved challenge, ready to send with a join until shortly before it expires. */
export interface SolvedChallenge {
  /** The X-Altcha header: base64 of `{challenge, solution}`. */
  payload: string;
  /** Epoch ms after which the server refuses it. */
  expiresAt: number;
}

/**
 * Fetches the room's challenge and solves it with ALTCHA's own solver. WebCrypto derives the
 * keys off the page's main thread, so the page stays responsive while it works (about a
 * second).
 */
export async function solveRoomChallenge(roomId: string, signal?: AbortSignal): Promise<SolvedChallenge> {
  const challenge: Challenge = await getChallenge(roomId, signal);
  const controller = new AbortController();
  signal?.addEventListener('abort', () => controller.abort());
  const solution = await solveChallenge({ challenge, deriveKey, controller, timeout: 60_000 });
  if (!solution) throw new Error('The check before joining took too long. Try again.');
  const payload = btoa(JSON.stringify({ challenge, solution }));
  const expiresAt = (challenge.parameters.expiresAt ?? Number.POSITIVE_INFINITY) * 1000;
  return { payload, expiresAt };
}
