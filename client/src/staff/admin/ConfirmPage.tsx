// The GOV.UK confirmation step before deactivating or resetting an account (no
// window.confirm: it is neither styled nor reliably accessible). A reset ends with
// the new enrolment secret, shown once.
import { useEffect, useState } from 'preact/hooks';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { Button, ButtonGroup, Panel, WarningText } from '../../components/Simple.tsx';
import { focusHeading, usePage } from '../../page.ts';
import { navigate } from '../../router.ts';
import { ApiError, staffApi } from '../api.ts';
import { Status } from '../Fields.tsx';
import type { Account } from '../types.ts';
import { accountPath, setFlash } from './shared.ts';

export type Confirmable = 'deactivate' | 'reset';

const WORDS: Record<Confirmable, { title: string; question: (n: string) => string; warning: string; more: string; yes: string; busy: string }> = {
  deactivate: {
    title: 'Deactivate account',
    question: (n) => `Are you sure you want to deactivate ${n}’s account?`,
    warning: 'They are signed out now and cannot sign in until the account is reactivated. New reports and referrals are no longer sent to them.',
    more: 'Their teams, cases and history are kept, and come back if you reactivate the account.',
    yes: 'Yes, deactivate this account',
    busy: 'Deactivating the account…',
  },
  reset: {
    title: 'Reset account',
    question: (n) => `Are you sure you want to reset ${n}’s account?`,
    warning: 'Their key and sessions are removed, they lose access to every case they hold, and they must enrol again with a new enrolment secret.',
    more: 'This cannot be undone.',
    yes: 'Yes, reset this account',
    busy: 'Resetting the account…',
  },
};

export function Issued({ who, secret, back }: { who: string; secret: string; back: string }) {
  useEffect(() => {
    requestAnimationFrame(focusHeading);
  }, []);
  return (
    <>
      <Panel title="Enrolment secret">
        For {who}
        <br />
        <strong class="app-secret" id="enrolment-secret">
          {secret}
        </strong>
      </Panel>
      <p class="govuk-body">Give this to the person in a safe way. It works once, and you will not see it again.</p>
      <p class="govuk-body">
        <a class="govuk-link" href={back}>
          Back to the account
        </a>
      </p>
    </>
  );
}

export function ConfirmPage({ id, action }: { id: string; action: Confirmable }) {
  const w = WORDS[action];
  const [account, setAccount] = useState<Account | null>(null);
  const [error, setError] = useState('');
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  usePage(secret ? 'Enrolment secret' : w.title, { hasErrors: !!error, back: secret ? null : accountPath(id) });

  useEffect(() => {
    staffApi.account(id).then(setAccount, () => setError('The account could not be loaded. Try again later'));
  }, [id]);

  if (secret && account) return <Issued who={account.displayName} secret={secret} back={accountPath(id)} />;

  const confirm = async () => {
    if (!account || busy) return;
    setBusy(true);
    setError('');
    try {
      if (action === 'reset') setSecret((await staffApi.resetAccount(account.id)).enrolmentSecret);
      else {
        await staffApi.deactivateAccount(account.id);
        setFlash(`${account.displayName}’s account has been deactivated`);
        navigate(accountPath(account.id));
      }
    } catch (e) {
      setError(e instanceof ApiError && e.code === 'own_account' ? 'You cannot deactivate your own account' : `${account.displayName}’s account could not be changed. Try again`);
      setAttempt((n) => n + 1);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <ErrorSummary errors={error ? [{ field: 'confirm', message: error }] : []} attempt={attempt} />
        <h1 class="govuk-heading-l">{account ? w.question(account.displayName) : w.title}</h1>
        {account && (
          <>
            <WarningText>{w.warning}</WarningText>
            <p class="govuk-body">{w.more}</p>
            <Status text={busy ? w.busy : ''} />
            <ButtonGroup>
              <Button type="button" variant="warning" id="confirm" disabled={busy} onClick={() => void confirm()}>
                {w.yes}
              </Button>
              <a class="govuk-link" href={accountPath(account.id)}>
                Cancel
              </a>
            </ButtonGroup>
          </>
        )}
      </div>
    </div>
  );
}
