// GOV.UK sign-in on one page: username, passphrase, 6-digit code. Argon2id runs
// here in the browser; the server only ever gets the derived login secret.
import { useState } from 'preact/hooks';
import { ErrorSummary } from '../components/ErrorSummary.tsx';
import { Button } from '../components/Simple.tsx';
import { usePage } from '../page.ts';
import { navigate } from '../router.ts';
import { useStore } from '../store.ts';
import type { FieldError } from '../reporter/flow.ts';
import { validateSignIn } from './forms.ts';
import { ApiError, staffApi } from './api.ts';
import { loadStaffCrypto, preloadStaffCrypto } from './crypto.ts';
import { loadStaffRoutes } from './chunks.ts';
import { Banner, CurrentPassphrase, Status, TextField } from './Fields.tsx';
import { homeFor, signInNotice, startSession } from './session.ts';
import type { SymmetricKey } from '../../../shared/src/crypto/types.ts';
import { openKeyPair } from './keys.ts';
import { requestFailureWords } from './failures.ts';
import { failedSignIns } from './FailedSignIns.tsx';

export const CODE_USED = 'That code has just been used. Wait for the next code from your authenticator app, then enter it';

export const NOTICE_WORDS = {
  'signed-out': 'You have signed out.',
  'timed-out': 'You have been signed out. Sign in again to continue.',
  enrolled: 'Your account is set up. Sign in with your new passphrase and a new code from your authenticator app.',
} as const;

export function SignInPage() {
  const notice = useStore(signInNotice);
  const [username, setUsername] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState('');
  usePage('Sign in to the triage service', { hasErrors: errors.length > 0 });
  // The crypto (libsodium, ~190 KB gzip, and its start-up work) and the staff
  // workspace are fetched once the officer starts on the form, not while the
  // page loads: on a phone they held up the form's first paint. Typing three
  // fields leaves time for them to arrive; a sign-in sent sooner waits for them.
  const [started, setStarted] = useState(false);
  const start = () => {
    if (started) return;
    setStarted(true);
    preloadStaffCrypto();
    loadStaffRoutes().catch(() => undefined);
  };

  const fail = (message: string, field = 'username') => setErrors([{ field, message }]);

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setAttempt((n) => n + 1);
    const found = validateSignIn({ username, passphrase, code });
    setErrors(found);
    if (found.length) return;
    const user = username.trim();
    // Key material made here; wiped in `finally` unless it was handed to the session.
    let wrappingKey: SymmetricKey | null = null;
    let secretKey: Uint8Array | null = null;
    let handedOver = false;
    try {
      setBusy('Checking your details…');
      const c = await loadStaffCrypto();
      const params = await staffApi.params(user);
      if (params.state === 'enrol') {
        signInNotice.set(null);
        navigate(`/triage/enrol?username=${encodeURIComponent(user)}`);
        return;
      }
      const secrets = await c.staff.deriveStaffSecrets(passphrase, params.kdf);
      wrappingKey = secrets.wrappingKey;
      const res = await staffApi.login({ username: user, loginSecret: secrets.loginSecret, totp: code.replace(/\s/g, '') });
      const keyPair = openKeyPair(c, wrappingKey, res);
      secretKey = keyPair?.secretKey ?? null;
      wrappingKey.fill(0);
      setPassphrase('');
      failedSignIns.set(res.failedSignIns ?? 0);
      startSession(res.staff, keyPair, res.csrfToken);
      handedOver = true;
      signInNotice.set(null);
      navigate(homeFor(res.staff.role));
    } catch (err) {
      setCode('');
      // Only the owner (right passphrase) is told the code was a used one: wait for the next.
      if (err instanceof ApiError && err.code === 'code_used') fail(CODE_USED, 'code');
      else if (err instanceof ApiError && err.status === 401) fail('The details you entered are not right');
      // Only sent after the right passphrase and code: this is the account's owner.
      else if (err instanceof ApiError && err.code === 'account_inactive') fail('Your account has been deactivated. Ask your administrator if you need it again');
      // Otherwise a request failure, or the login worked but the key did not open (the stored key does not match this passphrase).
      else fail(requestFailureWords(err) ?? 'Your browser could not unlock your key. Try again, or ask an administrator to reset your account');
    } finally {
      // Whatever happened, the wrapping key is no longer needed, and a private key that
      // never reached the session (a failure after it was opened) must not linger.
      wrappingKey?.fill(0);
      if (!handedOver) secretKey?.fill(0);
      setBusy('');
    }
  };

  const errorFor = (f: string) => errors.find((x) => x.field === f)?.message;
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} attempt={attempt} />
        {notice && !errors.length && (
          <Banner title={notice === 'enrolled' ? 'Success' : 'Important'} success={notice === 'enrolled'}>
            <p class="govuk-notification-banner__heading">{NOTICE_WORDS[notice]}</p>
          </Banner>
        )}
        <h1 class="govuk-heading-l">Sign in to the triage service</h1>
        <p class="govuk-body">For Professional Standards staff only. Reports are unlocked in your browser with your passphrase.</p>
        <form noValidate onSubmit={onSubmit} onFocusCapture={start} onInput={start}>
          <TextField id="username" label="Username" value={username} onInput={setUsername} autocomplete="username" error={errorFor('username')} />
          <CurrentPassphrase value={passphrase} onInput={setPassphrase} error={errorFor('passphrase')} />
          <TextField
            id="code"
            label="Code from your authenticator app"
            hint="The 6-digit code changes every 30 seconds"
            value={code}
            onInput={setCode}
            autocomplete="one-time-code"
            inputMode="numeric"
            classes="govuk-input--width-5"
            error={errorFor('code')}
          />
          <Status text={busy} />
          <Button disabled={!!busy}>Sign in</Button>
        </form>
        <p class="govuk-body">
          <a class="govuk-link" href="/triage/enrol">
            Set up a new account
          </a>{' '}
          if an administrator gave you an enrolment secret.
        </p>
      </div>
    </div>
  );
}
