import { createHmac, randomBytes } from 'node:crypto';
import { type QueueStore, WaitroomError } from '@waitroom/core';
import { RedisQueueStore } from '@waitroom/store-redis';
import { type Challenge, createChallenge, randomInt, type Solution, verifySolution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { createSecretFileOnce, readSecretFile, writeSecretFile } from './data-files.js';
import { MemorySpentChallenges, RedisSpentChallenges, type SpentChallenges } from './spent-challenges.js';

const KEY_FILE = 'challenge-hmac.key';

export type SignedChallenge = Challenge & { signature: string };

/**
 * How hard a challenge is (docs/SECURITY.md, "Bots and line-jumping"). PBKDF2 runs natively
 * in the browser (WebCrypto) as on a bot's machine, so a script gains little over a page. The
 * solver must try every counter from 0 up to a secret one drawn in [min, max]: about a
 * thousand derivations of a thousand rounds, under a second in a browser, yet a second of a
 * core for every join a script wants.
 */
export const POW_DIFFICULTY = {
  algorithm: 'PBKDF2/SHA-256',
  cost: 1_000,
  counterMin: 500,
  counterMax: 1_500,
  /** How long a challenge may be solved and used: a few minutes. */
  ttlSeconds: 300,
} as const;

/** The longest solved payload taken (base64 JSON; a real one is under 1,000 characters). */
const MAX_PAYLOAD_LENGTH = 4_000;

/**
 * Self-hosted ALTCHA proof of work for rooms with `requireChallenge`: challenges signed with
 * the server's HMAC key and bound to one room, checked on the join, each usable once.
 * The derived key is signed too (ALTCHA's deterministic mode), so checking a solution is two
 * HMACs, never a key derivation: a flood of wrong answers costs the server almost nothing.
 */
export class ProofOfWork {
  private readonly signatureSecret: string;
  private readonly keySignatureSecret: string;

  constructor(
    hmacKey: string,
    private readonly spent: SpentChallenges,
    private readonly clock: () => number,
  ) {
    // Two independent secrets from the one key: one signs the challenge, one its answer.
    this.signatureSecret = derive(hmacKey, 'altcha-challenge');
    this.keySignatureSecret = derive(hmacKey, 'altcha-derived-key');
  }

  /** A fresh challenge for a join to `roomId`. */
  async challenge(roomId: string): Promise<SignedChallenge> {
    const challenge = await createChallenge({
      algorithm: POW_DIFFICULTY.algorithm,
      cost: POW_DIFFICULTY.cost,
      counter: randomInt(POW_DIFFICULTY.counterMax, POW_DIFFICULTY.counterMin),
      deriveKey,
      data: { room: roomId },
      expiresAt: Math.floor(this.clock() / 1000) + POW_DIFFICULTY.ttlSeconds,
      hmacSignatureSecret: this.signatureSecret,
      hmacKeySignatureSecret: this.keySignatureSecret,
    });
    const { signature } = challenge;
    if (signature === undefined) throw new Error('altcha-lib returned an unsigned challenge');
    return { ...challenge, signature };
  }

  /**
   * Accepts a solved challenge for a join to `roomId` once, or throws CHALLENGE_REQUIRED (none
   * given) or CHALLENGE_FAILED (malformed, wrong, expired, for another room, or already used).
   */
  async check(payload: string | undefined, roomId: string): Promise<void> {
    if (payload === undefined || payload === '') {
      throw new WaitroomError(
        'CHALLENGE_REQUIRED',
        `This room asks each join for a solved challenge: GET /api/rooms/${roomId}/challenge, solve it, and send it as the X-Altcha header`,
      );
    }
    const parsed = parsePayload(payload);
    if (!parsed) throw failed('The challenge solution could not be read');
    const { challenge, solution } = parsed;
    const expiresAt = challenge.parameters.expiresAt;
    if (typeof expiresAt !== 'number' || expiresAt * 1000 <= this.clock()) {
      throw failed('The challenge has expired; solve a new one');
    }
    let verified = false;
    try {
      const result = await verifySolution({
        challenge,
        solution,
        deriveKey,
        hmacSignatureSecret: this.signatureSecret,
        hmacKeySignatureSecret: this.keySignatureSecret,
      });
      verified = result.verified;
    } catch {
      verified = false;
    }
    // The signature covers the parameters, so only now are they the server's own.
    if (!verified) throw failed('The challenge solution is wrong');
    if (challenge.parameters.data?.room !== roomId) throw failed('The challenge is for another room');
    const ttlMs = expiresAt * 1000 - this.clock() + 5_000;
    if (!(await this.spent.spend(challenge.signature as string, ttlMs))) {
      throw failed('This challenge was already used for a join; solve a new one');
    }
  }
}

/**
 * The proof of work of a server: its key from CHALLENGE_HMAC_KEY or the data folder, used
 * solutions remembered in Redis when the queue is there (every instance sees them), else in
 * this process.
 */
export function openProofOfWork(
  dataDir: string,
  configuredKey: string | undefined,
  store: QueueStore,
  clock: () => number,
): ProofOfWork {
  const spent =
    store instanceof RedisQueueStore
      ? new RedisSpentChallenges(store.client, store.keyPrefix)
      : new MemorySpentChallenges(clock);
  return new ProofOfWork(loadChallengeKey(dataDir, configuredKey), spent, clock);
}

/** CHALLENGE_HMAC_KEY, or a key generated once into the data folder (mode 0600). */
export function loadChallengeKey(dataDir: string, configured: string | undefined): string {
  if (configured !== undefined) return configured;
  const stored = readSecretFile(dataDir, KEY_FILE)?.trim();
  if (stored && stored.length >= 32) return stored;
  const key = randomBytes(32).toString('base64url');
  if (stored === undefined) {
    // No file yet: create it, or take the one another instance created a moment ago.
    return createSecretFileOnce(dataDir, KEY_FILE, `${key}\n`).content.trim();
  }
  writeSecretFile(dataDir, KEY_FILE, `${key}\n`);
  return key;
}

function derive(key: string, purpose: string): string {
  return createHmac('sha256', key).update(purpose).digest('hex');
}

function failed(message: string): WaitroomError {
  return new WaitroomError('CHALLENGE_FAILED', message);
}

/** The ALTCHA payload: base64 of `{challenge, solution}` JSON, checked for shape before use. */
function parsePayload(payload: string): { challenge: Challenge; solution: Solution } | null {
  if (payload.length > MAX_PAYLOAD_LENGTH) return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
  } catch {
    return null;
  }
  if (!isObject(value) || !isObject(value.challenge) || !isObject(value.solution)) return null;
  const { challenge, solution } = value;
  const parameters = challenge.parameters;
  if (!isObject(parameters) || typeof challenge.signature !== 'string') return null;
  if (parameters.algorithm !== POW_DIFFICULTY.algorithm) return null;
  if (typeof parameters.nonce !== 'string' || typeof parameters.salt !== 'string') return null;
  if (typeof parameters.keyPrefix !== 'string') return null;
  if (parameters.data !== undefined && !isObject(parameters.data)) return null;
  if (typeof solution.counter !== 'number' || typeof solution.derivedKey !== 'string') return null;
  return {
    challenge: {
      parameters: parameters as unknown as Challenge['parameters'],
      signature: challenge.signature,
    },
    solution: { counter: solution.counter, derivedKey: solution.derivedKey },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
