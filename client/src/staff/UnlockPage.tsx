// After a reload the session cookie may still be live while the unwrapped key,
// kept only in memory, is gone. Then only the passphrase is asked for: the
// session already passed both factors and its timeouts still run. No live
// session (or it ends while unlocking): back to the full sign-in.
import { useEffect, useState } from 'preact/hooks';
import type { SymmetricKey } from '../../../shared/src/crypto/types.ts';
import { ErrorSummary } from '../components/ErrorSummary.tsx';
import { Button } from '../components/Simple.tsx';
import { usePage } from '../page.ts';
import { navigate } from '../router.ts';
import type { FieldError } from '../reporter/flow.ts';
import { ApiError, setCsrfToken, staffApi } from './api.ts';
import { loadStaffCrypto, preloadStaffCrypto } from './crypto.ts';
import { CurrentPassphrase, Status } from './Fields.tsx';
import { openKeyPair } from './keys.ts';
import { requestFailureWords } from './failures.ts';
import { signInNotice, signOut, startSession } from './session.ts';
import type { Kdf, Staff } from './types.ts';

type Live = { kind: 'checking' } | { kind: 'live'; staff: Staff; kdf: Kdf };

function toSignIn(notice: 'timed-out' | null): void {
  signInNotice.set(notice);
  navigate('/triage/sign-in', { replace: true });
}

/** Shown in place of any signed-in staff page while no key is held in this tab. */
export function UnlockGate() {
  const [live, setLive] = useState<Live>({ kind: 'checking' });
  useEffect(() => {
    let gone = false;
    staffApi.session()
      .then((s) => {
        if (gone) return;
        // The session's own token: unlock and sign-out are guarded like every other write.
        setCsrfToken(s.csrfToken);
        setLive({ kind: 'live', staff: s.staff, kdf: s.kdf });
      })
      // 401 (no session, timed out) or anything else: the full sign-in is always safe.
      .catch(() => { if (!gone) toSignIn(null); });
    preloadStaffCrypto();
    return () => { gone = true; };
  }, []);
  if (live.kind === 'checking') return <Status text="Checking your session…" />;
  return <UnlockPage staff={live.staff} kdf={live.kdf} />;
}

function UnlockPage({ staff, kdf }: { staff: Staff; kdf: Kdf }) {
  const [passphrase, setPassphrase] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState('');
  usePage('Unlock the triage service', { hasErrors: errors.length > 0 });
  const fail = (message: string) => setErrors([{ field: 'passphrase', message }]);

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setAttempt((n) => n + 1);
    if (!passphrase) return fail('Enter your passphrase');
    setErrors([]);
    let wrappingKey: SymmetricKey | null = null;
    let handedOver = false;
    let secretKey: Uint8Array | null = null;
    try {
      setBusy('Unlocking…');
      const c = await loadStaffCrypto();
      const secrets = await c.staff.deriveStaffSecrets(passphrase, kdf);
      wrappingKey = secrets.wrappingKey;
      const res = await staffApi.unlock(secrets.loginSecret);
      const keyPair = openKeyPair(c, wrappingKey, res);
      secretKey = keyPair?.secretKey ?? null;
      setPassphrase('');
      // Starting the session re-renders the page that was asked for, at the same address.
      startSession(res.staff, keyPair, res.csrfToken);
      handedOver = true;
    } catch (err) {
      if (err instanceof ApiError && err.code === 'not_signed_in') toSignIn('timed-out');
      else if (err instanceof ApiError && err.status === 401) fail('The passphrase is not right');
      else fail(requestFailureWords(err) ?? 'Your browser could not unlock your key. Sign out and sign in again');
    } finally {
      wrappingKey?.fill(0);
      if (!handedOver) secretKey?.fill(0);
      setBusy('');
    }
  };

  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} attempt={attempt} />
        <h1 class="govuk-heading-l">Unlock the triage service</h1>
        <p class="govuk-body">
          You are still signed in as <strong>{staff.displayName}</strong> ({staff.username}). Your key is kept only in this page, so after a
          reload we need your passphrase to unlock it again.
        </p>
        <form noValidate onSubmit={onSubmit}>
          <CurrentPassphrase value={passphrase} onInput={setPassphrase} error={errors.find((x) => x.field === 'passphrase')?.message} />
          <Status text={busy} />
          <Button disabled={!!busy}>Unlock</Button>
        </form>
        <p class="govuk-body">
          Not you, or want to stop?{' '}
          <button type="button" class="govuk-button govuk-button--secondary" onClick={() => void signOut(false)}>
            Sign out
          </button>
        </p>
      </div>
    </div>
  );
}
