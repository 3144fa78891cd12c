// Administrator: staff accounts. Never any case content. An enrolment secret is
// shown once, in a panel, and never again (the server keeps only its hash).
import { useEffect, useState } from 'preact/hooks';
import { ErrorSummary } from '../components/ErrorSummary.tsx';
import { Radios } from '../components/Radios.tsx';
import { Button, ButtonGroup, Panel, Tag, WarningText } from '../components/Simple.tsx';
import { focusHeading, usePage } from '../page.ts';
import type { FieldError } from '../reporter/flow.ts';
import { ROLE_WORDS } from '../triage/words.ts';
import { ApiError, staffApi } from './api.ts';
import { Status, TextField } from './Fields.tsx';
import type { Account, Structure } from './types.ts';

const ROLES = ['triage', 'lead', 'oversight', 'admin'] as const;

function Issued({ who, secret, onDone }: { who: string; secret: string; onDone: () => void }) {
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
      <Button type="button" onClick={onDone}>
        Back to accounts
      </Button>
    </>
  );
}

/** The GOV.UK confirmation step before a reset (no window.confirm: it is neither styled nor reliably accessible). */
function ConfirmReset(props: { account: Account; busy: boolean; error: string; attempt: number; onConfirm: () => void; onCancel: () => void }) {
  const { account, busy, error, attempt, onConfirm, onCancel } = props;
  useEffect(() => {
    requestAnimationFrame(focusHeading);
  }, []);
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <ErrorSummary errors={error ? [{ field: 'confirm-reset', message: error }] : []} attempt={attempt} />
        <h1 class="govuk-heading-l">Are you sure you want to reset {account.displayName}’s account?</h1>
        <WarningText>Their key and sessions are removed, they lose access to every case they hold, and they must enrol again with a new enrolment secret.</WarningText>
        <p class="govuk-body">This cannot be undone.</p>
        <Status text={busy ? 'Resetting the account…' : ''} />
        <ButtonGroup>
          <Button type="button" variant="warning" id="confirm-reset" disabled={busy} onClick={onConfirm}>
            Yes, reset this account
          </Button>
          <Button type="button" variant="secondary" id="cancel-reset" disabled={busy} onClick={onCancel}>
            Cancel
          </Button>
        </ButtonGroup>
      </div>
    </div>
  );
}

export function AdminPage() {
  const [accounts, setAccounts] = useState<Account[] | null>(null);
  const [structure, setStructure] = useState<Structure | null>(null);
  const [issued, setIssued] = useState<{ who: string; secret: string } | null>(null);
  const [loadError, setLoadError] = useState('');
  const [confirming, setConfirming] = useState<Account | null>(null);
  const [resetError, setResetError] = useState('');
  const [resetting, setResetting] = useState(false);
  const [resetAttempt, setResetAttempt] = useState(0);
  usePage(issued ? 'Enrolment secret' : confirming ? 'Reset account' : 'Staff accounts', { hasErrors: !!confirming && !!resetError });

  const load = () => {
    Promise.all([staffApi.accounts(), staffApi.structure()])
      .then(([a, s]) => {
        setAccounts(a.accounts);
        setStructure(s);
      })
      .catch(() => setLoadError('The accounts could not be loaded. Try again later.'));
  };
  useEffect(load, []);

  if (issued) return <Issued who={issued.who} secret={issued.secret} onDone={() => (setIssued(null), load(), requestAnimationFrame(focusHeading))} />;

  if (confirming) {
    const a = confirming;
    const backToList = () => {
      setConfirming(null);
      setResetError('');
      // Focus returns to the Reset button the admin came from.
      requestAnimationFrame(() => document.getElementById(`reset-${a.id}`)?.focus());
    };
    const reset = async () => {
      if (resetting) return;
      setResetting(true);
      setResetError('');
      try {
        const r = await staffApi.resetAccount(a.id);
        setConfirming(null);
        setIssued({ who: a.displayName, secret: r.enrolmentSecret });
      } catch {
        setResetError(`${a.displayName}’s account could not be reset. Try again`);
        setResetAttempt((n) => n + 1);
      } finally {
        setResetting(false);
      }
    };
    return <ConfirmReset account={a} busy={resetting} error={resetError} attempt={resetAttempt} onConfirm={() => void reset()} onCancel={backToList} />;
  }

  const teamLabel = (id: string) => structure?.teams.find((t) => t.id === id)?.label ?? id;

  return (
    <>
      <h1 class="govuk-heading-l">Staff accounts</h1>
      {loadError && <p class="govuk-error-message">{loadError}</p>}
      {!accounts && !loadError && <Status text="Loading accounts…" />}
      {accounts && (
        <table class="govuk-table">
          <caption class="govuk-table__caption govuk-table__caption--m">Accounts</caption>
          <thead class="govuk-table__head">
            <tr class="govuk-table__row">
              {['Name', 'Username', 'Role', 'Teams', 'State', 'Action'].map((h) => (
                <th scope="col" class="govuk-table__header" key={h}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody class="govuk-table__body">
            {accounts.map((a) => (
              <tr class="govuk-table__row" key={a.id}>
                <td class="govuk-table__cell">{a.displayName}</td>
                <td class="govuk-table__cell">{a.username}</td>
                <td class="govuk-table__cell">{ROLE_WORDS[a.role] ?? a.role}</td>
                <td class="govuk-table__cell">{a.teams.map((t) => `${teamLabel(t.id)}${t.lead ? ' (lead)' : ''}${t.seesIdentity ? ' (sees names)' : ''}`).join(', ') || '—'}</td>
                <td class="govuk-table__cell">
                  <Tag colour={a.state === 'active' ? 'green' : 'yellow'}>{a.state === 'active' ? 'Active' : a.state === 'enrol' ? 'Enrolling' : 'No key'}</Tag>
                </td>
                <td class="govuk-table__cell">
                  <button
                    type="button"
                    id={`reset-${a.id}`}
                    class="govuk-button govuk-button--warning govuk-!-margin-bottom-0"
                    data-module="govuk-button"
                    onClick={() => setConfirming(a)}
                  >
                    Reset<span class="govuk-visually-hidden"> {a.displayName}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {structure && <CreateAccount structure={structure} onCreated={(who, secret) => setIssued({ who, secret })} />}
    </>
  );
}

function CreateAccount({ structure, onCreated }: { structure: Structure; onCreated: (who: string, secret: string) => void }) {
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<string | undefined>(undefined);
  const [teams, setTeams] = useState<string[]>([]);
  const [seesIdentity, setSeesIdentity] = useState(false);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState('');
  const err = (f: string) => errors.find((e) => e.field === f)?.message;

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setAttempt((n) => n + 1);
    const found: FieldError[] = [];
    if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(username.trim())) found.push({ field: 'new-username', message: 'Enter a username of lowercase letters, numbers, dots or hyphens' });
    if (!displayName.trim()) found.push({ field: 'display-name', message: 'Enter the person’s name' });
    if (!role) found.push({ field: 'role', message: 'Select a role' });
    if ((role === 'triage' || role === 'lead') && teams.length === 0) found.push({ field: 'teams', message: 'Select at least one team' });
    setErrors(found);
    if (found.length || !role) return;
    setBusy('Creating the account…');
    try {
      const grants = role === 'triage' || role === 'lead' ? teams.map((id) => ({ id, seesIdentity, lead: role === 'lead' })) : [];
      const r = await staffApi.createAccount({ username: username.trim(), displayName: displayName.trim(), role, teams: grants });
      onCreated(displayName.trim(), r.enrolmentSecret);
    } catch (ex) {
      setErrors([{ field: 'new-username', message: ex instanceof ApiError && ex.status === 409 ? 'That username is already taken' : 'The account could not be created. Try again' }]);
    } finally {
      setBusy('');
    }
  };

  return (
    <form noValidate onSubmit={submit}>
      <h2 class="govuk-heading-m">Create an account</h2>
      <ErrorSummary errors={errors} attempt={attempt} />
      <TextField id="new-username" label="Username" value={username} onInput={setUsername} error={err('new-username')} />
      <TextField id="display-name" label="Name shown to colleagues" value={displayName} onInput={setDisplayName} error={err('display-name')} />
      <Radios name="role" legend="Role" legendSize="s" value={role} onChange={setRole} error={err('role')} items={ROLES.map((r) => ({ value: r, label: ROLE_WORDS[r] ?? r }))} small />
      <div class={`govuk-form-group${err('teams') ? ' govuk-form-group--error' : ''}`}>
        <fieldset class="govuk-fieldset" aria-describedby="teams-hint">
          <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Teams</legend>
          <div id="teams-hint" class="govuk-hint">
            For triage officers and team leads only
          </div>
          {err('teams') && (
            <p id="teams-error" class="govuk-error-message">
              <span class="govuk-visually-hidden">Error:</span> {err('teams')}
            </p>
          )}
          <div class="govuk-checkboxes govuk-checkboxes--small">
            {structure.teams.map((t, i) => (
              <div class="govuk-checkboxes__item" key={t.id}>
                <input
                  class="govuk-checkboxes__input"
                  id={i === 0 ? 'teams' : `teams-${t.id}`}
                  type="checkbox"
                  checked={teams.includes(t.id)}
                  onChange={(e) => setTeams(e.currentTarget.checked ? [...teams, t.id] : teams.filter((x) => x !== t.id))}
                />
                <label class="govuk-label govuk-checkboxes__label" for={i === 0 ? 'teams' : `teams-${t.id}`}>
                  {t.label}
                </label>
              </div>
            ))}
          </div>
        </fieldset>
      </div>
      <div class="govuk-checkboxes govuk-checkboxes--small govuk-!-margin-bottom-6">
        <div class="govuk-checkboxes__item">
          <input class="govuk-checkboxes__input" id="sees-identity" type="checkbox" checked={seesIdentity} onChange={(e) => setSeesIdentity(e.currentTarget.checked)} />
          <label class="govuk-label govuk-checkboxes__label" for="sees-identity">
            May see the names of reporters who give them
          </label>
        </div>
      </div>
      <Status text={busy} />
      <Button disabled={!!busy}>Create account</Button>
    </form>
  );
}
