// The actions on a case, each a small form.
import { AssessmentForm } from './actions/AssessmentForm.tsx';
import { AssignForm } from './actions/AssignForm.tsx';
import type { ActionProps } from './actions/common.tsx';
import { MessageForm } from './actions/MessageForm.tsx';
import { NoteForm } from './actions/NoteForm.tsx';
import { ReceiptCheckForm } from './actions/ReceiptCheckForm.tsx';
import { ReferForm } from './actions/ReferForm.tsx';
import { ReopenForm } from './actions/ReopenForm.tsx';
import { StatusForm } from './actions/StatusForm.tsx';
import { SupportOfferedForm } from './AdviceCase.tsx';

export function CaseActions(p: ActionProps) {
  // An advice request is not a case: no status, assessment or outcome (the server refuses them too).
  const isCase = p.opened.detail.kind !== 'advice';
  return (
    <>
      <hr class="govuk-section-break govuk-section-break--l govuk-section-break--visible" />
      <MessageForm {...p} />
      <SupportOfferedForm {...p} />
      {isCase && <ReopenForm {...p} />}
      {isCase && <StatusForm {...p} />}
      <NoteForm {...p} />
      {isCase && <AssessmentForm {...p} />}
      <AssignForm {...p} />
      <ReferForm {...p} />
      <ReceiptCheckForm {...p} />
    </>
  );
}
