// Who is signed in, and the two ways to sign out.
import { useState } from 'preact/hooks';
import { ROLE_WORDS } from '../triage/words.ts';
import { signOut, type StaffSession } from './session.ts';

export function StaffBar({ session }: { session: StaffSession }) {
  const [busy, setBusy] = useState(false);
  const out = (everywhere: boolean) => async () => {
    if (busy) return;
    setBusy(true);
    // signOut forgets the key and moves to the sign-in page even if the request fails.
    await signOut(everywhere).catch(() => undefined);
  };
  const s = session.staff;
  return (
    <div class="app-staff-bar">
      <p class="govuk-body-s govuk-!-margin-bottom-2">
        Signed in as <strong>{s.displayName}</strong> ({ROLE_WORDS[s.role] ?? s.role}
        {s.teams.length ? `, ${s.teams.map((t) => t.label).join(', ')}` : ''})
      </p>
      <div class="govuk-button-group govuk-!-margin-bottom-2">
        {(s.role === 'triage' || s.role === 'lead') && (
          <a class="govuk-link govuk-!-margin-bottom-0" href="/triage/notifications">Email notifications</a>
        )}
        <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" data-module="govuk-button" onClick={out(false)} disabled={busy}>
          Sign out
        </button>
        <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" data-module="govuk-button" onClick={out(true)} disabled={busy}>
          Sign out everywhere
        </button>
      </div>
    </div>
  );
}
