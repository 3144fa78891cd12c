// An account's email address for notifications, on its account page: a small
// form of its own (an address is no part of the account's details the edit
// page changes), with the same check as the server. Its errors go to the
// page, whose GOV.UK error summary sits at the top. Empty = no emails for this person.
import { useEffect, useState } from 'preact/hooks';
import { EMAIL_MAX, EMAIL_PATTERN } from '../../../../shared/src/domain/notifications.ts';
import { Button } from '../../components/Simple.tsx';
import type { FieldError } from '../../reporter/flow.ts';
import { request } from '../api.ts';
import { Status, TextField } from '../Fields.tsx';

const ADDRESS = new RegExp(EMAIL_PATTERN);

export function validateEmail(raw: string): FieldError[] {
  const v = raw.trim();
  if (v === '') return [];
  if (v.length > EMAIL_MAX) return [{ field: 'email', message: `Email address must be ${EMAIL_MAX} characters or fewer` }];
  if (!ADDRESS.test(v)) return [{ field: 'email', message: 'Enter an email address in the correct format, like name@example.com' }];
  return [];
}

interface Props {
  id: string;
  errors: FieldError[];
  /** Each submission's errors (none when it passed), for the page's error summary. */
  setErrors: (errors: FieldError[]) => void;
  onSaved: (message: string) => void;
}

export function AccountEmail({ id, errors, setErrors, onSaved }: Props) {
  const [email, setEmail] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [loadError, setLoadError] = useState(false);

  useEffect(() => {
    request<{ email: string | null }>(`/admin/accounts/${encodeURIComponent(id)}/email`).then((r) => setEmail(r.email ?? ''), () => setLoadError(true));
  }, [id]);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (email === null || busy) return;
    const found = validateEmail(email);
    setErrors(found);
    if (found.length) return;
    setBusy(true);
    try {
      const value = email.trim() === '' ? null : email.trim();
      const r = await request<{ email: string | null }>(`/admin/accounts/${encodeURIComponent(id)}/email`, { json: { email: value } });
      setEmail(r.email ?? '');
      onSaved(r.email ? 'The email address has been saved' : 'The email address has been removed: no emails will be sent to this person');
    } catch {
      setErrors([{ field: 'email', message: 'The email address could not be saved. Check it and try again' }]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h2 class="govuk-heading-m">Email notifications</h2>
      {loadError && <p class="govuk-body govuk-error-message">The email address could not be loaded. Try again later.</p>}
      {email !== null && (
        <form noValidate onSubmit={submit}>
          <TextField id="email" label="Email address" value={email} onInput={setEmail} autocomplete="off"
            hint="Where this person’s notification emails go. Leave it empty to send them none." error={errors[0]?.message} />
          <Status text={busy ? 'Saving the email address…' : ''} />
          <Button variant="secondary" disabled={busy}>Save email address</Button>
        </form>
      )}
    </>
  );
}
