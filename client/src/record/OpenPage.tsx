import { useEffect, useState } from 'preact/hooks';
import { ErrorSummary } from '../components/ErrorSummary.tsx';
import { Input } from '../components/Input.tsx';
import { Button, InsetText } from '../components/Simple.tsx';
import { preloadCrypto } from '../crypto.ts';
import { usePage } from '../page.ts';
import { navigate } from '../router.ts';
import { openRecordFromText } from './open.ts';
import { RECORD_TOKEN_WORDS, type RecordTokenProblem } from './session.ts';

/** Every visit starts here: the token is typed or pasted, never kept by the browser between visits. */
export function OpenPage({ then = '/record/entries' }: { then?: string }) {
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<RecordTokenProblem | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  usePage('Open your record', { hasErrors: problem !== null, back: '/record' });
  useEffect(() => preloadCrypto(), []);

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setAttempt((n) => n + 1);
    setBusy(true);
    try {
      const p = await openRecordFromText(value);
      setProblem(p);
      if (p === null) {
        setValue('');
        navigate(then);
      }
    } finally {
      setBusy(false);
    }
  };

  const message = problem ? RECORD_TOKEN_WORDS[problem] : undefined;
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <ErrorSummary errors={message ? [{ field: 'record-token', message }] : []} attempt={attempt} />
        <form noValidate onSubmit={onSubmit}>
          <Input
            id="record-token"
            label="Enter your record token"
            labelSize="l"
            isPageHeading
            hint="You got this when you started your record. It starts with REC, then has 25 letters and numbers in groups of 5. Capital letters, spaces and hyphens do not matter."
            error={message}
            value={value}
            onInput={setValue}
            autocomplete="off"
            spellcheck={false}
            autocapitalize="characters"
            classes="app-token-input"
          />
          <div role="status" class="govuk-body app-status">
            {busy ? 'Opening your record…' : ''}
          </div>
          <Button>Continue</Button>
        </form>
        <InsetText>
          We do not keep your record token and cannot recover it. If you have lost it, you can{' '}
          <a class="govuk-link" href="/record/new">
            start a new record
          </a>
          .
        </InsetText>
      </div>
    </div>
  );
}
