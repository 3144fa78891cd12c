// One account: its details in a summary card, and what an administrator can do
// to it (edit, reset, deactivate or reactivate). Deactivate and reset go through
// a confirmation page (buttons, since they act, though they only open that page);
// reactivating gives back access the account already had, so it does not.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { Button, ButtonGroup, SummaryCard, Tag } from '../../components/Simple.tsx';
import { focusHeading, usePage } from '../../page.ts';
import { navigate } from '../../router.ts';
import { formatDay } from '../../reporter/words.ts';
import { ROLE_WORDS } from '../../triage/words.ts';
import { staffApi } from '../api.ts';
import { Banner, Status } from '../Fields.tsx';
import type { Account, Structure } from '../types.ts';
import type { FieldError } from '../../reporter/flow.ts';
import { AccountEmail } from './AccountEmail.tsx';
import { accountPath, loadStructure, takeFlash } from './shared.ts';
import { stateWords } from './validate.ts';

export function AccountPage({ id, selfId }: { id: string; selfId: string }) {
  const [account, setAccount] = useState<Account | null>(null);
  const [structure, setStructure] = useState<Structure | null>(null);
  const [error, setError] = useState('');
  const [flash, setFlashShown] = useState<string | null>(() => takeFlash());
  const [busy, setBusy] = useState(false);
  const [emailErrors, setEmailErrors] = useState<FieldError[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [flashKey, setFlashKey] = useState(0);
  usePage(account ? account.displayName : 'Account', { hasErrors: emailErrors.length > 0, back: '/triage/admin' });

  useEffect(() => {
    Promise.all([staffApi.account(id), loadStructure()]).then(
      ([a, s]) => (setAccount(a), setStructure(s)),
      () => setError('The account could not be loaded. It may not exist, or try again later.'),
    );
  }, [id]);

  const reactivate = async () => {
    if (!account || busy) return;
    setBusy(true);
    setError('');
    try {
      const a = await staffApi.reactivateAccount(account.id);
      setAccount(a);
      setFlashShown(`${a.displayName}’s account has been reactivated`);
      // The Reactivate button is gone, so focus would drop to the page: put it on the heading, under the banner.
      requestAnimationFrame(focusHeading);
    } catch {
      setError('The account could not be reactivated. Try again.');
    } finally {
      setBusy(false);
    }
  };

  if (!account || !structure) {
    return (
      <>
        <h1 class="govuk-heading-l">Account</h1>
        {error ? <p class="govuk-error-message">{error}</p> : <Status text="Loading the account…" />}
      </>
    );
  }
  const teamLabel = (t: string) => structure.teams.find((x) => x.id === t)?.label ?? t;
  const state = stateWords(account);
  const self = account.id === selfId;
  const rows: [string, ComponentChildren][] = [
    ['Username', account.username],
    ['Role', ROLE_WORDS[account.role] ?? account.role],
    ['Teams', account.teams.length ? account.teams.map((t) => `${teamLabel(t.id)}${t.lead ? ' (lead)' : ''}`).join(', ') : 'None'],
    ['Sees reporters’ names', account.teams.some((t) => t.seesIdentity) ? 'Yes' : 'No'],
    ['State', <><Tag colour={state.colour}>{state.text}</Tag>{account.deactivatedOn ? ` since ${formatDay(account.deactivatedOn)}` : ''}</>],
  ];

  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        {flash && (
          <Banner title="Success" success {...(flashKey ? { focusKey: flashKey } : {})}>
            <p class="govuk-notification-banner__heading">{flash}</p>
          </Banner>
        )}
        <ErrorSummary errors={emailErrors} attempt={attempt} />
        {error && <p class="govuk-error-message">{error}</p>}
        <span class="govuk-caption-l">Staff account</span>
        <h1 class="govuk-heading-l">{account.displayName}</h1>
        <SummaryCard
          level={2}
          title="Account details"
          action={
            <a class="govuk-link" href={`${accountPath(account.id)}/edit`}>
              Edit<span class="govuk-visually-hidden"> account details</span>
            </a>
          }
        >
          <dl class="govuk-summary-list">
            {rows.map(([k, v]) => (
              <div class="govuk-summary-list__row" key={k}>
                <dt class="govuk-summary-list__key">{k}</dt>
                <dd class="govuk-summary-list__value">{v}</dd>
              </div>
            ))}
          </dl>
        </SummaryCard>
        <h2 class="govuk-heading-m">Access</h2>
        {self && <p class="govuk-body">This is your own account. You cannot deactivate it.</p>}
        <Status text={busy ? 'Reactivating the account…' : ''} />
        <ButtonGroup>
          {account.deactivatedOn ? (
            <Button type="button" id="reactivate" disabled={busy} onClick={() => void reactivate()}>
              Reactivate account
            </Button>
          ) : (
            !self && (
              <Button type="button" variant="warning" id="deactivate" onClick={() => navigate(`${accountPath(account.id)}/deactivate`)}>
                Deactivate account
              </Button>
            )
          )}
          <Button type="button" variant="secondary" id="reset" onClick={() => navigate(`${accountPath(account.id)}/reset`)}>
            Reset sign-in and key
          </Button>
        </ButtonGroup>
        <AccountEmail id={account.id} errors={emailErrors}
          setErrors={(e) => { setEmailErrors(e); setAttempt((n) => n + 1); }}
          onSaved={(m) => { setFlashShown(m); setFlashKey((n) => n + 1); }} />
      </div>
    </div>
  );
}

