import { useState } from 'preact/hooks';
import { recordApi } from '../api.ts';
import { ErrorSummary } from '../components/ErrorSummary.tsx';
import { Radios } from '../components/Radios.tsx';
import { Button, WarningText } from '../components/Simple.tsx';
import { usePage } from '../page.ts';
import { navigate } from '../router.ts';
import { closeRecord, type OpenRecord } from './session.ts';

const CHOOSE = 'Select yes if you want to delete your record';
const FAILED = 'Your record could not be deleted. Check your internet connection and try again';

export function DeletePage({ open }: { open: OpenRecord }) {
  const [choice, setChoice] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  usePage('Are you sure you want to delete your record?', { hasErrors: error !== null, back: '/record/entries' });

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setAttempt((n) => n + 1);
    if (choice === undefined) {
      setError(CHOOSE);
      return;
    }
    if (choice === 'no') {
      navigate('/record/entries');
      return;
    }
    setBusy(true);
    try {
      await recordApi.remove(open.session.authorization);
      closeRecord();
      navigate('/record/deleted');
    } catch {
      setError(FAILED);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <ErrorSummary errors={error ? [{ field: 'delete', message: error }] : []} attempt={attempt} />
        <form noValidate onSubmit={onSubmit}>
          <Radios
            name="delete"
            legend="Are you sure you want to delete your record?"
            isPageHeading
            error={error ?? undefined}
            value={choice}
            onChange={setChoice}
            items={[{ value: 'yes', label: 'Yes, delete my record' }, { value: 'no', label: 'No, keep it' }]}
          />
          <WarningText>Every entry and every file will be removed straight away. It cannot be brought back, by you or by anyone else.</WarningText>
          <div role="status" class="govuk-body app-status">
            {busy ? 'Deleting your record…' : ''}
          </div>
          <Button variant="warning">Continue</Button>
        </form>
      </div>
    </div>
  );
}

export function DeletedPage() {
  usePage('Your record has been deleted');
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <div class="govuk-panel govuk-panel--confirmation">
          <h1 class="govuk-panel__title">Your record has been deleted</h1>
        </div>
        <p class="govuk-body">Nothing of it is kept. Your record token no longer opens anything.</p>
        <p class="govuk-body">
          <a class="govuk-link" href="/">
            Go to the start page
          </a>
        </p>
      </div>
    </div>
  );
}
