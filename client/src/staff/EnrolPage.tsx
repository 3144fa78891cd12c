// Enrolment: the one-time secret from an administrator, then an authenticator
// app (QR code) and a new passphrase. The key pair is made here, in the browser;
// the server gets the public key and the private key sealed under the passphrase.
import { renderSVG } from 'uqr';
import { useEffect, useState } from 'preact/hooks';
import { ErrorSummary } from '../components/ErrorSummary.tsx';
import { Button, Details, InsetText } from '../components/Simple.tsx';
import { focusHeading, usePage } from '../page.ts';
import { navigate, useLocation } from '../router.ts';
import type { FieldError } from '../reporter/flow.ts';
import { ApiError, retryAfterOf, staffApi } from './api.ts';
import { loadStaffCrypto, preloadStaffCrypto } from './crypto.ts';
import { Status, TextField } from './Fields.tsx';
import { enrolmentKeyId, groupSecret, lockedOutWords, validateNewPassphrase } from './forms.ts';
import { signInNotice } from './session.ts';
import type { EnrolStartResponse } from './types.ts';

function errorWords(err: unknown): string {
  if (err instanceof ApiError && err.status === 401) return 'The details you entered are not right';
  if (err instanceof ApiError && err.status === 429) return lockedOutWords(retryAfterOf(err));
  if (err instanceof ApiError && err.status === 0) return 'We could not connect to the service. Check your connection and try again';
  return 'Something went wrong. Try again in a few minutes';
}

export function EnrolPage() {
  const { query } = useLocation();
  const [username, setUsername] = useState(query.get('username') ?? '');
  const [secret, setSecret] = useState('');
  const [started, setStarted] = useState<EnrolStartResponse | null>(null);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState('');
  usePage(started ? 'Set up your sign-in' : 'Set up your account', { hasErrors: errors.length > 0, back: '/triage/sign-in' });
  useEffect(() => preloadStaffCrypto(), []);

  const start = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setAttempt((n) => n + 1);
    const found: FieldError[] = [];
    if (!username.trim()) found.push({ field: 'username', message: 'Enter your username' });
    if (!secret.trim()) found.push({ field: 'enrolment-secret', message: 'Enter the enrolment secret an administrator gave you' });
    setErrors(found);
    if (found.length) return;
    setBusy('Checking your enrolment secret…');
    try {
      setStarted(await staffApi.enrolStart({ username: username.trim(), enrolmentSecret: secret.trim() }));
      requestAnimationFrame(focusHeading);
    } catch (err) {
      setErrors([{ field: 'enrolment-secret', message: errorWords(err) }]);
    } finally {
      setBusy('');
    }
  };

  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} attempt={attempt} />
        {started ? (
          <CompleteForm
            username={username.trim()}
            enrolmentSecret={secret.trim()}
            started={started}
            onErrors={(e) => {
              setErrors(e);
              setAttempt((n) => n + 1);
            }}
            errors={errors}
          />
        ) : (
          <>
            <h1 class="govuk-heading-l">Set up your account</h1>
            <form noValidate onSubmit={start}>
              <TextField id="username" label="Username" value={username} onInput={setUsername} autocomplete="username" error={errors.find((x) => x.field === 'username')?.message} />
              <TextField
                id="enrolment-secret"
                label="Enrolment secret"
                hint="An administrator gave you this. It works once."
                value={secret}
                onInput={setSecret}
                type="password"
                error={errors.find((x) => x.field === 'enrolment-secret')?.message}
              />
              <Status text={busy} />
              <Button disabled={!!busy}>Continue</Button>
            </form>
          </>
        )}
      </div>
    </div>
  );
}

function CompleteForm(p: { username: string; enrolmentSecret: string; started: EnrolStartResponse; errors: FieldError[]; onErrors: (e: FieldError[]) => void }) {
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState('');
  const qr = `data:image/svg+xml;base64,${btoa(renderSVG(p.started.otpauthUri))}`;
  const errorFor = (f: string) => p.errors.find((x) => x.field === f)?.message;

  const complete = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const found = validateNewPassphrase({ passphrase, confirm, code, enrolmentSecret: p.enrolmentSecret });
    p.onErrors(found);
    if (found.length) return;
    setBusy('Making your key. This takes a few seconds…');
    try {
      const c = await loadStaffCrypto();
      const keyPair = c.rc1.generateKeyPair();
      const kdf = c.staff.newKdfParams();
      const secrets = await c.staff.deriveStaffSecrets(passphrase, kdf);
      const staffId = enrolmentKeyId(p.username);
      const encryptedSecretKey = c.staff.sealStaffSecretKey(secrets.wrappingKey, staffId, keyPair.secretKey);
      await staffApi.enrolComplete({
        username: p.username,
        enrolmentSecret: p.enrolmentSecret,
        totp: code.replace(/\s/g, ''),
        kdf,
        loginSecret: secrets.loginSecret,
        publicKey: c.rc1.toB64u(keyPair.publicKey),
        encryptedSecretKey,
      });
      secrets.wrappingKey.fill(0);
      keyPair.secretKey.fill(0);
      signInNotice.set('enrolled');
      navigate('/triage/sign-in');
    } catch (err) {
      setCode('');
      p.onErrors([{ field: 'code', message: err instanceof ApiError && err.status === 401 ? 'The code is not right. Wait for a new code and try again' : errorWords(err) }]);
    } finally {
      setBusy('');
    }
  };

  return (
    <>
      <h1 class="govuk-heading-l">Set up your sign-in</h1>
      <h2 class="govuk-heading-m">1. Add the service to your authenticator app</h2>
      <p class="govuk-body">Scan this QR code with an authenticator app on your work phone.</p>
      <img class="app-qr" src={qr} alt="QR code for your authenticator app. If you cannot scan it, use the key below." />
      <Details summary="I cannot scan the QR code">
        <p class="govuk-body">Enter this key in your authenticator app (time-based, 6 digits):</p>
        <p class="govuk-body app-secret" id="totp-secret">
          {groupSecret(p.started.totpSecret)}
        </p>
      </Details>
      <form noValidate onSubmit={complete}>
        {/* Lets password managers file the new passphrase under the right account. */}
        <input type="text" name="username" autocomplete="username" value={p.username} readOnly hidden />
        <h2 class="govuk-heading-m">2. Choose a passphrase</h2>
        <InsetText>
          Your passphrase unlocks the reports you are sent. Nobody can reset it without you losing access to your key, so choose something you will remember:
          several words are easier than symbols.
        </InsetText>
        <TextField id="passphrase" label="New passphrase" hint="At least 12 characters. Not your enrolment secret." type="password" autocomplete="new-password" value={passphrase} onInput={setPassphrase} error={errorFor('passphrase')} />
        <TextField id="confirm" label="Type your new passphrase again" type="password" autocomplete="new-password" value={confirm} onInput={setConfirm} error={errorFor('confirm')} />
        <h2 class="govuk-heading-m">3. Check your authenticator app</h2>
        <TextField id="code" label="Code from your authenticator app" hint="The 6-digit code it shows now" inputMode="numeric" autocomplete="one-time-code" classes="govuk-input--width-5" value={code} onInput={setCode} error={errorFor('code')} />
        <Status text={busy} />
        <Button disabled={!!busy}>Finish setting up</Button>
      </form>
    </>
  );
}
