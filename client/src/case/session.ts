// The open case lives only in this module's memory: never in storage, a cookie or a URL.
import type { CaseView } from '../../../shared/src/api/schemas.ts';
import type { OpenedCase, ReporterSession } from '../../../shared/src/crypto/reporter.ts';
import { onForget } from '../memory.ts';
import { createStore } from '../store.ts';

export interface OpenCase {
  session: ReporterSession;
  view: CaseView;
  opened: OpenedCase;
}

export const caseStore = createStore<OpenCase | null>(null);

export function signOut(): void {
  const c = caseStore.get();
  // Overwrite the key bytes we hold; the JS engine may still have copies, but we keep none on purpose.
  if (c) {
    c.session.token.fill(0);
    c.session.accessKey.fill(0);
    c.session.keyPair.secretKey.fill(0);
    c.opened.caseKey.fill(0);
  }
  caseStore.set(null);
}

onForget(signOut);

export type TokenProblem = 'empty' | 'length' | 'characters' | 'check' | 'not-found' | 'network' | 'server' | 'crypto';

export const TOKEN_PROBLEM_WORDS: Record<TokenProblem, string> = {
  empty: 'Enter your case token',
  length: 'Your case token must be 25 letters and numbers',
  characters: 'Your case token must only include letters, numbers and hyphens',
  check: 'Check your case token for a typing mistake',
  'not-found': 'We could not find a case with that token',
  network: 'We could not connect to the service. Check your internet connection and try again',
  server: 'Something went wrong on our side. Try again in a few minutes',
  crypto: 'Your browser could not unlock your case. Try again, or use a different, up-to-date browser',
};
