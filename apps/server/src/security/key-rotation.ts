import type { JWK } from 'jose';
import { KeyConfigError, newPrivateJwk, parseJwkList } from './signing-keys.js';

/**
 * Signing-key rotation with overlap (docs/SECURITY.md, "Rotating the signing keys"). The list
 * is the file signing-keys.json or SIGNING_KEYS: the LAST key signs, every key verifies, and
 * the JWKS publishes every public half. Besides the JWK members each key may carry, for this
 * command only (never published, ignored by the server):
 *
 * - `createdAt`: when it was made (ISO 8601);
 * - `publishOnly`: true while it is published but does not sign yet (`--publish-only`);
 * - `retiredAt`: when a newer key took over signing; its tokens live at most the longest
 *   admission TTL after that, then `--prune` may remove it.
 */
export interface StoredKey extends JWK {
  createdAt?: string;
  retiredAt?: string;
  publishOnly?: boolean;
}

/** The room setting's maximum (core `admissionTtlSecondsMax`), plus the verifiers' clock tolerance. */
export const DEFAULT_MAX_TTL_SECONDS = 7 * 24 * 3600 + 5;

/** What a rotation step did, by key id only: never a private member. */
export interface RotationReport {
  added?: string;
  promoted?: string;
  retired?: string;
  pruned: string[];
  /** Every key after the step, in file order, the last one signing. */
  keys: { kid: string; role: 'signing' | 'verify-only' | 'published, not signing yet'; retiredAt?: string }[];
  warnings: string[];
}

export type RotationStep =
  | { kind: 'rotate' }
  | { kind: 'publish-only' }
  | { kind: 'promote' }
  | { kind: 'prune'; maxTtlSeconds?: number; keep?: number };

export function parseKeyFile(text: string, source: string): StoredKey[] {
  return parseJwkList(text, source) as StoredKey[];
}

export function serializeKeys(keys: StoredKey[]): string {
  return `${JSON.stringify({ keys }, null, 2)}\n`;
}

const kidOf = (key: StoredKey, index: number): string => key.kid ?? `(key ${index + 1}, no kid)`;

/**
 * Applies one step to a key list and returns the new list; `now` in epoch milliseconds.
 * Pure but for generating a key: the caller reads and writes the file.
 */
export async function applyRotation(
  keys: StoredKey[],
  step: RotationStep,
  now: number,
): Promise<{ keys: StoredKey[]; report: RotationReport }> {
  const at = new Date(now).toISOString();
  const next = keys.map((k) => ({ ...k }));
  const report: RotationReport = { pruned: [], keys: [], warnings: [] };
  const signer = () => next[next.length - 1];

  if (step.kind === 'rotate' || step.kind === 'publish-only') {
    const fresh: StoredKey = { ...(await newPrivateJwk('EdDSA')), createdAt: at };
    report.added = fresh.kid;
    if (step.kind === 'rotate') {
      const previous = signer();
      if (previous) {
        previous.retiredAt = at;
        report.retired = previous.kid;
      }
      next.push(fresh);
    } else {
      fresh.publishOnly = true;
      next.unshift(fresh);
    }
  } else if (step.kind === 'promote') {
    const index = next.findIndex((k) => k.publishOnly === true);
    if (index === -1)
      throw new KeyConfigError('no published key waits for promotion: run --publish-only first');
    const [key] = next.splice(index, 1) as [StoredKey];
    const published = key.createdAt ? Date.parse(key.createdAt) : Number.NaN;
    if (Number.isFinite(published) && now - published < 5 * 60_000) {
      report.warnings.push(
        `${key.kid} was published less than 5 minutes ago: shops that cache the JWKS for 5 minutes may refuse its tokens until they refresh`,
      );
    }
    const previous = signer();
    if (previous) {
      previous.retiredAt = at;
      report.retired = previous.kid;
    }
    delete key.publishOnly;
    next.push(key);
    report.promoted = key.kid;
  } else {
    const maxTtlMs = (step.maxTtlSeconds ?? DEFAULT_MAX_TTL_SECONDS) * 1000;
    // Only keys that have signed and been replaced may go; the signer and keys waiting for
    // promotion always stay.
    const removable = (k: StoredKey, i: number) => i !== next.length - 1 && k.publishOnly !== true;
    const drop = new Set<StoredKey>();
    next.forEach((k, i) => {
      if (!removable(k, i)) return;
      const retired = k.retiredAt ? Date.parse(k.retiredAt) : Number.NaN;
      if (Number.isFinite(retired) && now - retired > maxTtlMs) drop.add(k);
      else if (!k.retiredAt && step.keep === undefined) {
        report.warnings.push(
          `${kidOf(k, i)} has no retiredAt (made before this command kept one): kept; use --keep <n> to prune by count`,
        );
      }
    });
    if (step.keep !== undefined) {
      // Keep the newest `keep` keys that have signed (the signer counts), oldest out first.
      const signed = next.filter((k) => k.publishOnly !== true);
      const excess = signed.length - Math.max(1, step.keep);
      for (const k of signed.slice(0, Math.max(0, excess))) drop.add(k);
    }
    const kept: StoredKey[] = [];
    next.forEach((k, i) => {
      if (drop.has(k)) report.pruned.push(kidOf(k, i));
      else kept.push(k);
    });
    next.splice(0, next.length, ...kept);
  }

  report.keys = next.map((k, i) => ({
    kid: kidOf(k, i),
    role: i === next.length - 1 ? 'signing' : k.publishOnly ? 'published, not signing yet' : 'verify-only',
    ...(k.retiredAt ? { retiredAt: k.retiredAt } : {}),
  }));
  if (next[next.length - 1]?.publishOnly) {
    // Only possible when the list held nothing else: it must still sign.
    delete next[next.length - 1]?.publishOnly;
  }
  return { keys: next, report };
}
