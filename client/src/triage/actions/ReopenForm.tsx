// A lead reopens a closed case. The reason is free text about the case, so it
// is sealed here under internalKey as an internal note (the reporter never
// reads it); the server stores it with the reopening and audits ids only.
import { useState } from 'preact/hooks';
import { Button } from '../../components/Simple.tsx';
import { Textarea } from '../../components/Textarea.tsx';
import { staffApi } from '../../staff/api.ts';
import type { StaffSession } from '../../staff/session.ts';
import type { CaseDetail } from '../../staff/types.ts';
import { ActionForm, sealedTextErrors, useAction, type ActionProps } from './common.tsx';

/** Mirrors the server's rule: role 'lead', or the lead flag in the case's team. */
export const leadsCase = (session: StaffSession, d: CaseDetail): boolean =>
  session.staff.role === 'lead' || session.staff.teams.some((t) => t.id === d.team.id && t.lead);

export function ReopenForm({ opened, session, onDone, onErrors }: ActionProps) {
  const [text, setText] = useState('');
  const a = useAction('reopen-reason', onErrors);
  const key = opened.internalKey;
  if (opened.detail.status !== 'closed' || !leadsCase(session, opened.detail) || !key) return null;
  const submit = () =>
    a.run(() => sealedTextErrors('reopen-reason', text, 'Enter why you are reopening the case', 'reason'), 'Reopening the case…', async (c) => {
      await staffApi.reopen(opened.detail.caseRef, c.staff.sealNote(key, opened.reporterPk, { text: `Reopened: ${text.trim()}` }));
      setText('');
      await onDone('The case has been reopened and is being assessed again.');
    });
  return (
    <ActionForm id="reopen-form" title="Reopen the case" busy={a.busy} onSubmit={submit}>
      <Textarea
        id="reopen-reason"
        label="Why are you reopening the case?"
        labelSize="s"
        hint="Saved as an internal note, never shown to the reporter. The reporter sees that the case is open again, and a new feedback date starts today."
        value={text}
        onInput={setText}
        error={a.errorFor('reopen-reason')}
      />
      <Button>Reopen case</Button>
    </ActionForm>
  );
}
