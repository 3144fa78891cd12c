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

export function CaseActions(p: ActionProps) {
  return (
    <>
      <hr class="govuk-section-break govuk-section-break--l govuk-section-break--visible" />
      <MessageForm {...p} />
      <ReopenForm {...p} />
      <StatusForm {...p} />
      <NoteForm {...p} />
      <AssessmentForm {...p} />
      <AssignForm {...p} />
      <ReferForm {...p} />
      <ReceiptCheckForm {...p} />
    </>
  );
}
