// An internal note, sealed under internalKey, which the reporter never holds.
import { useState } from 'preact/hooks';
import { LIMITS } from '../../../../shared/src/api/domain.ts';
import { Button } from '../../components/Simple.tsx';
import { Textarea } from '../../components/Textarea.tsx';
import type { FieldError } from '../../reporter/flow.ts';
import { staffApi } from '../../staff/api.ts';
import { ActionForm, useAction, type ActionProps } from './common.tsx';

export function NoteForm({ opened, onDone }: ActionProps) {
  const [text, setText] = useState('');
  const a = useAction('note');
  const key = opened.internalKey;
  if (!key) return null;
  const validate = () => {
    const e: FieldError[] = [];
    if (!text.trim()) e.push({ field: 'note', message: 'Enter a note' });
    else if (text.length > LIMITS.messageTextMax) e.push({ field: 'note', message: 'Your note is too long' });
    return e;
  };
  const submit = () =>
    a.run(validate, 'Saving your note…', async (c) => {
      await staffApi.note(opened.detail.caseRef, c.staff.sealNote(key, opened.reporterPk, { text: text.trim() }));
      setText('');
      await onDone('Your internal note has been saved.');
    });
  return (
    <ActionForm id="note-form" title="Add an internal note" errors={a.errors} attempt={a.attempt} busy={a.busy} onSubmit={submit}>
      <Textarea
        id="note"
        label="Internal note — never shown to the reporter"
        labelSize="s"
        hint="Only your team and people the case is assigned or referred to can read it."
        value={text}
        onInput={setText}
        error={a.errorFor('note')}
      />
      <Button variant="secondary">Save note</Button>
    </ActionForm>
  );
}
