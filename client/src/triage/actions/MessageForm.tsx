// A message to the reporter, sealed under caseKey (the reporter can read it).
import { useState } from 'preact/hooks';
import { LIMITS } from '../../../../shared/src/api/domain.ts';
import { Button } from '../../components/Simple.tsx';
import { Textarea } from '../../components/Textarea.tsx';
import { staffApi } from '../../staff/api.ts';
import { ActionForm, sealedTextErrors, useAction, type ActionProps } from './common.tsx';

export function MessageForm({ opened, onDone, onErrors }: ActionProps) {
  const [text, setText] = useState('');
  const a = useAction('message', onErrors);
  // A closed case still takes messages both ways: the reporter may write about victimisation after closure.
  const closed = opened.detail.status === 'closed';
  const validate = () => {
    return sealedTextErrors('message', text, 'Enter a message', 'message');
  };
  const submit = () =>
    a.run(validate, 'Sending your message…', async (c) => {
      await staffApi.message(opened.detail.caseRef, c.rc1.sealMessage(opened.caseKey, opened.reporterPk, 'triage', text.trim()));
      setText('');
      await onDone('Your message has been sent to the reporter.');
    });
  return (
    <ActionForm id="message-form" title="Send a message to the reporter" busy={a.busy} onSubmit={submit}>
      <Textarea
        id="message"
        label="Message to the reporter"
        labelSize="s"
        hint={
          closed
            ? 'The case is closed. The reporter can still read your reply when they check their case with their token.'
            : 'The reporter reads this when they check their case with their token.'
        }
        value={text}
        onInput={setText}
        maxLength={LIMITS.messageTextMax}
        error={a.errorFor('message')}
      />
      <Button>Send message</Button>
    </ActionForm>
  );
}
