// Create an account, or edit one's name, role and teams. The same checks as the
// server (validate.ts, with the display-name rule from shared/) run first, so a
// name with hidden characters gets an error summary and an inline error here.
import { useEffect, useState } from 'preact/hooks';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { Button } from '../../components/Simple.tsx';
import { usePage } from '../../page.ts';
import type { FieldError } from '../../reporter/flow.ts';
import { navigate } from '../../router.ts';
import { ApiError, staffApi } from '../api.ts';
import { Status, TextField } from '../Fields.tsx';
import type { Account, Structure } from '../types.ts';
import { AccountFields, type AccountFieldValues } from './AccountFields.tsx';
import { Issued } from './ConfirmPage.tsx';
import { accountPath, loadStructure, setFlash } from './shared.ts';
import { grantsFor, validateAccount } from './validate.ts';

const EMPTY: AccountFieldValues = { displayName: '', role: undefined, teams: [], seesIdentity: false };

function serverError(e: unknown, creating: boolean): FieldError {
  if (e instanceof ApiError && e.code === 'username_taken') return { field: 'new-username', message: 'That username is already taken' };
  if (e instanceof ApiError && e.code === 'own_account') return { field: 'role', message: 'You cannot take the administrator role from your own account' };
  return { field: creating ? 'new-username' : 'display-name', message: `The account could not be ${creating ? 'created' : 'changed'}. Check the details and try again` };
}

/** `id` absent: create a new account. */
export function AccountFormPage({ id }: { id?: string }) {
  const creating = id === undefined;
  const [structure, setStructure] = useState<Structure | null>(null);
  const [account, setAccount] = useState<Account | null>(null);
  const [username, setUsername] = useState('');
  const [values, setValues] = useState<AccountFieldValues>(EMPTY);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState('');
  const [loadError, setLoadError] = useState('');
  const [issued, setIssued] = useState<{ id: string; who: string; secret: string } | null>(null);
  const title = creating ? 'Create an account' : 'Edit account';
  usePage(issued ? 'Enrolment secret' : title, { hasErrors: errors.length > 0, back: issued ? null : creating ? '/triage/admin' : accountPath(id) });

  useEffect(() => {
    Promise.all([loadStructure(), creating ? Promise.resolve(null) : staffApi.account(id)]).then(([s, a]) => {
      setStructure(s);
      if (a) {
        setAccount(a);
        setValues({ displayName: a.displayName, role: a.role, teams: a.teams.map((t) => t.id), seesIdentity: a.teams.some((t) => t.seesIdentity) });
      }
    }, () => setLoadError('The account could not be loaded. Try again later.'));
  }, [id]);

  if (issued) return <Issued who={issued.who} secret={issued.secret} back={accountPath(issued.id)} />;
  const err = (f: string) => errors.find((e) => e.field === f)?.message;

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setAttempt((n) => n + 1);
    const found = validateAccount({ ...(creating ? { username } : {}), displayName: values.displayName, role: values.role, teams: values.teams });
    setErrors(found);
    if (found.length || !values.role) return;
    const body = { displayName: values.displayName.trim(), role: values.role, teams: grantsFor(values.role, values.teams, values.seesIdentity) };
    setBusy(creating ? 'Creating the account…' : 'Saving the changes…');
    try {
      if (creating) {
        const r = await staffApi.createAccount({ username: username.trim(), ...body });
        setIssued({ id: r.id, who: body.displayName, secret: r.enrolmentSecret });
      } else {
        const a = await staffApi.editAccount(id, body);
        setFlash(`${a.displayName}’s account has been changed`);
        navigate(accountPath(id));
      }
    } catch (ex) {
      setErrors([serverError(ex, creating)]);
    } finally {
      setBusy('');
    }
  };

  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} attempt={attempt} />
        {account && <span class="govuk-caption-l">{account.username}</span>}
        <h1 class="govuk-heading-l">{title}</h1>
        {loadError && <p class="govuk-error-message">{loadError}</p>}
        {!structure && !loadError && <Status text="Loading…" />}
        {structure && (creating || account) && (
          <form noValidate onSubmit={submit}>
            {creating && <TextField id="new-username" label="Username" hint="Lowercase letters, numbers, dots or hyphens. It cannot be changed later." value={username} onInput={setUsername} error={err('new-username')} />}
            <AccountFields structure={structure} values={values} onChange={(p) => setValues({ ...values, ...p })} err={err} editing={!creating} />
            <Status text={busy} />
            <Button disabled={!!busy}>{creating ? 'Create account' : 'Save changes'}</Button>
          </form>
        )}
      </div>
    </div>
  );
}
