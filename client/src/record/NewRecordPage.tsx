import { useEffect, useState } from 'preact/hooks';
import { ApiError, isStampError, recordApi } from '../api.ts';
import { ErrorSummary } from '../components/ErrorSummary.tsx';
import { CopyToken, notSavedWords, SavedCheckForm, TokenText, useLeaveGuard, useSavedCheck } from '../components/NewToken.tsx';
import { Button, WarningText } from '../components/Simple.tsx';
import { loadCrypto, preloadCrypto } from '../crypto.ts';
import { focusHeading, usePage } from '../page.ts';
import { prepareStamp, withStamp } from '../pow/stamp.ts';
import { navigate, setLeaveGuard } from '../router.ts';
import { useStore } from '../store.ts';
import { openRecordWith } from './open.ts';
import { newTokenStore } from './session.ts';

const CREATE_FAILED = 'We could not start your record. Check your internet connection and try again';
const NOT_SAVED = notSavedWords('record');

/** Makes the record in the browser, stores only ciphertext, and shows the token once. */
export function NewRecordPage() {
  const display = useStore(newTokenStore);
  const [failed, setFailed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [attempt, setAttempt] = useState(0);
  usePage(display ? 'Save your record token' : 'Start a record', { hasErrors: failed, back: '/record' });
  useEffect(() => {
    preloadCrypto();
    prepareStamp();
  }, []);

  const create = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setAttempt((n) => n + 1);
    try {
      const c = await loadCrypto();
      const rec = c.createRecord();
      await withStamp((stamp) => recordApi.create(rec.body, stamp), isStampError);
      // Open it as a later visit would: from the token alone.
      if ((await openRecordWith(rec.session.token)) !== null) throw new ApiError(500, 'open', 'open');
      newTokenStore.set(c.formatRecordToken(rec.session.token));
      setFailed(false);
      requestAnimationFrame(focusHeading);
    } catch {
      setFailed(true);
    } finally {
      setBusy(false);
    }
  };

  if (display) return <SaveToken display={display} />;
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <ErrorSummary errors={failed ? [{ field: 'create', message: CREATE_FAILED }] : []} attempt={attempt} />
        <h1 class="govuk-heading-l">Start a record</h1>
        <p class="govuk-body">We will give you a record token. You need it every time you come back to add to or read your record.</p>
        <p class="govuk-body">Nothing is sent to any team. Only you can read what you write.</p>
        <form noValidate onSubmit={create}>
          <div role="status" class="govuk-body app-status">
            {busy ? 'Starting your record…' : ''}
          </div>
          <Button id="create">Create my record</Button>
        </form>
      </div>
    </div>
  );
}

function SaveToken({ display }: { display: string }) {
  const check = useSavedCheck(() => {
    setLeaveGuard(null);
    newTokenStore.set(null);
    navigate('/record/entries');
  });
  // As for a case token: the record cannot be opened again without it.
  useLeaveGuard('record', check.saved);
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <ErrorSummary errors={check.error ? [{ field: 'saved', message: NOT_SAVED }] : []} attempt={check.attempt} />
        <h1 class="govuk-heading-l">Save your record token</h1>
        <p class="govuk-body">Your record has been started. This is your record token:</p>
        <TokenText kind="record" display={display} />
        <WarningText>
          Save your record token now. It cannot be recovered or shown again. Without it, no one can open your record, not even us.
        </WarningText>
        <CopyToken kind="record" display={display} />
        <SavedCheckForm kind="record" check={check} />
      </div>
    </div>
  );
}
