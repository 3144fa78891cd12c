// Proof of work on anonymous writes (docs/PROTOCOL.md "Proof of work"): hand
// out challenges whose difficulty follows recent intake, and accept each
// solved stamp once. A request without a valid stamp is refused before it is
// parsed or counted against the bucket genuine reporters share.
import { meetsDifficulty, parseStamp } from '../../../shared/src/crypto/index.ts';
import { ApiError } from '../plugins/errors.ts';
import { mintChallenge, readChallenge } from './challenge.ts';
import type { SpentStore } from './store.ts';

export interface PowSettings {
  /**
   * Leading zero bits asked at quiet times. 2^18 BLAKE2b hashes: about 0.2 s in desktop Chromium
   * (`npm run bench:pow`: ~1.1 M hashes/s in the worker), so about a second on a mid-range phone.
   */
  baseDifficulty: number;
  /** Ceiling however busy it gets. */
  maxDifficulty: number;
  /** Stamps spent per challenge lifetime that still count as quiet. */
  quiet: number;
  /** How long a challenge may be solved and spent, in ms. */
  ttlMs: number;
}

export const DEFAULT_POW: PowSettings = { baseDifficulty: 18, maxDifficulty: 28, quiet: 30, ttlMs: 5 * 60_000 };

/**
 * base + ⌈log2(recent / quiet)⌉ once recent intake is above quiet, capped at max:
 * each doubling of intake doubles every sender's expected work.
 */
export function difficultyFor(recent: number, s: PowSettings): number {
  const extra = recent <= s.quiet ? 0 : Math.ceil(Math.log2(recent / s.quiet));
  return Math.min(s.maxDifficulty, s.baseDifficulty + extra);
}

export interface IssuedChallenge {
  challenge: string;
  difficulty: number;
  /** Seconds the challenge stays valid, from now. */
  expiresIn: number;
}

export interface Pow {
  issue(): Promise<IssuedChallenge>;
  /** Throws pow_required / pow_invalid / pow_expired / pow_replayed; returns once the stamp is spent. */
  spend(header: string | string[] | undefined): Promise<void>;
}

const DIFFICULTY_CACHE_MS = 5_000;

export function createPow(key: Uint8Array, store: SpentStore, settings: PowSettings, now: () => number): Pow {
  // The count is cached for a few seconds so a flood of challenge requests is not a flood of COUNT queries.
  let cached: { at: number; difficulty: number } | undefined;
  async function difficulty(): Promise<number> {
    const t = now();
    if (!cached || t - cached.at > DIFFICULTY_CACHE_MS || t < cached.at) {
      cached = { at: t, difficulty: difficultyFor(await store.recent(t, settings.ttlMs), settings) };
    }
    return cached.difficulty;
  }

  return {
    async issue() {
      const d = await difficulty();
      const expiresAt = now() + settings.ttlMs;
      const bytes = mintChallenge(key, d, expiresAt);
      return { challenge: Buffer.from(bytes).toString('base64url'), difficulty: d, expiresIn: Math.floor(settings.ttlMs / 1000) };
    },
    async spend(header) {
      if (header === undefined || header === '') throw new ApiError('pow_required');
      const stamp = typeof header === 'string' && header.length <= 128 ? parseStamp(header) : null;
      const challenge = stamp && readChallenge(key, stamp.challenge);
      if (!stamp || !challenge) throw new ApiError('pow_invalid');
      const t = now();
      if (challenge.expiresAt <= t) throw new ApiError('pow_expired');
      if (!meetsDifficulty(challenge.bytes, stamp.nonce, challenge.difficulty)) throw new ApiError('pow_invalid');
      // Spent per challenge, not per nonce: one challenge buys one write, however many solutions it has.
      if (!(await store.spend(challenge.id, challenge.expiresAt, t))) throw new ApiError('pow_replayed');
    },
  };
}
