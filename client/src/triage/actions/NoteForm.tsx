// An internal note, sealed under internalKey, which the reporter never holds.
import { useState } from 'preact/hooks';
import { Button } from '../../components/Simple.tsx';
import { Textarea } from '../../components/Textarea.tsx';
import { staffApi } from '../../staff/api.ts';
import { ActionForm, sealedTextErrors, useAction, type ActionProps } from './common.tsx';

export function NoteForm({ opened, onDone, onErrors }: ActionProps) {
  const [text, setText] = useState('');
  const a = useAction('note', onErrors);
  const key = opened.internalKey;
  if (!key) return null;
  const validate = () => {
    return sealedTextErrors('note', text, 'Enter a note', 'note');
  };
  const submit = () =>
    a.run(validate, 'Saving your note…', async (c) => {
      await staffApi.note(opened.detail.caseRef, c.staff.sealNote(key, opened.reporterPk, { text: text.trim() }));
      setText('');
      await onDone('Your internal note has been saved.');
    });
  return (
    <ActionForm id="note-form" title="Add an internal note" busy={a.busy} onSubmit={submit}>
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
