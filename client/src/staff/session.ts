// The signed-in staff member and their unwrapped private key live only in this
// module's memory: never in storage. After a reload the passphrase is asked again.
import type { KeyPair } from '../../../shared/src/crypto/types.ts';
import { navigate } from '../router.ts';
import { createStore } from '../store.ts';
import { setCsrfToken, setSignedOutHandler, staffApi } from './api.ts';
import type { Role, Staff } from './types.ts';

export interface StaffSession {
  staff: Staff;
  /** Null for oversight and admin, who hold no case key. */
  keyPair: KeyPair | null;
}

export const sessionStore = createStore<StaffSession | null>(null);

/** Why the sign-in page is showing, for its notification banner. */
export const signInNotice = createStore<'signed-out' | 'timed-out' | 'enrolled' | null>(null);

/** Wipes what we hold in memory: key bytes are overwritten, not just dropped. */
export function forgetSession(): void {
  const s = sessionStore.get();
  s?.keyPair?.secretKey.fill(0);
  for (const f of forgetters) f();
  setCsrfToken(null);
  sessionStore.set(null);
}

const forgetters = new Set<() => void>();
/** Case pages register here so case keys go when the session goes. */
export function onSessionEnd(fn: () => void): () => void {
  forgetters.add(fn);
  return () => forgetters.delete(fn);
}

export function startSession(staff: Staff, keyPair: KeyPair | null, csrfToken: string): void {
  setCsrfToken(csrfToken);
  sessionStore.set({ staff, keyPair });
}

setSignedOutHandler(() => {
  if (!sessionStore.get()) return;
  forgetSession();
  signInNotice.set('timed-out');
  navigate('/triage/sign-in', { replace: true });
});

export async function signOut(everywhere: boolean): Promise<void> {
  try {
    await (everywhere ? staffApi.logoutEverywhere() : staffApi.logout());
  } finally {
    forgetSession();
    signInNotice.set('signed-out');
    navigate('/triage/sign-in');
  }
}

export function homeFor(role: Role | string): string {
  if (role === 'oversight') return '/triage/oversight';
  if (role === 'admin') return '/triage/admin';
  return '/triage';
}
