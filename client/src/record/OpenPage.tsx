import { TokenEntryForm, useTokenEntry } from '../components/TokenEntry.tsx';
import { navigate } from '../router.ts';
import { openRecordFromText } from './open.ts';
import { RECORD_TOKEN_WORDS, type RecordTokenProblem } from './session.ts';

/** Every visit starts here: the token is typed or pasted, never kept by the browser between visits. */
export function OpenPage({ then = '/record/entries' }: { then?: string }) {
  const entry = useTokenEntry<RecordTokenProblem>({
    title: 'Open your record',
    back: '/record',
    open: openRecordFromText,
    opened: () => navigate(then),
  });
  return (
    <TokenEntryForm
      entry={entry}
      words={RECORD_TOKEN_WORDS}
      id="record-token"
      label="Enter your record token"
      hint="You got this when you started your record. It starts with REC, then has 25 letters and numbers in groups of 5. Capital letters, spaces and hyphens do not matter."
      busyText="Opening your record…"
    >
      We do not keep your record token and cannot recover it. If you have lost it, you can{' '}
      <a class="govuk-link" href="/record/new">
        start a new record
      </a>
      .
    </TokenEntryForm>
  );
}
