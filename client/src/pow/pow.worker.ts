// Solves a proof-of-work challenge off the main thread, so the page stays
// responsive while the reporter writes. Message in: { challenge, difficulty };
// out: { progress: hashes } now and then, then { nonce } (base64url).
import { ready } from '../../../shared/src/crypto/sodium.ts';
import { fromB64u, toB64u } from '../../../shared/src/crypto/encoding.ts';
import { solve } from '../../../shared/src/crypto/pow.ts';

export interface SolveRequest {
  challenge: string;
  difficulty: number;
}
export type SolveReply = { progress: number } | { nonce: string; tried: number } | { error: string };

const scope = self as unknown as { onmessage: ((e: MessageEvent<SolveRequest>) => void) | null; postMessage(m: SolveReply): void };

scope.onmessage = async (e) => {
  try {
    await ready();
    const found = solve(fromB64u(e.data.challenge), e.data.difficulty, {
      progressEvery: 1 << 16,
      onProgress: (tried) => scope.postMessage({ progress: tried }),
    });
    scope.postMessage(found ? { nonce: toB64u(found.nonce), tried: found.tried } : { error: 'unsolved' });
  } catch (err) {
    scope.postMessage({ error: err instanceof Error ? err.message : 'failed' });
  }
};
