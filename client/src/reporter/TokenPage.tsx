import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Checkbox } from '../components/Checkboxes.tsx';
import { ErrorSummary } from '../components/ErrorSummary.tsx';
import { Button, ButtonGroup, InsetText, Panel, WarningText } from '../components/Simple.tsx';
import { hasExited } from '../memory.ts';
import { usePage } from '../page.ts';
import { navigate, setLeaveGuard } from '../router.ts';
import { sentStore, type Sent } from './state.ts';
import { formatDay } from './words.ts';
import { ACKNOWLEDGE_WITHIN, ADVICE_WITHIN, FEEDBACK_WITHIN } from '../../../shared/src/domain/clock.ts';
import { ReceiptSave } from '../receipt/ReceiptSave.tsx';
import { downloadText } from '../receipt/save.ts';
import { SupportList } from '../advice/SupportList.tsx';

const LEAVE_QUESTION = 'You have not confirmed that you saved your case token. It cannot be shown again. Leave this page?';

function tokenFileText(s: Sent): string {
  return [
    'Raise a concern: case token',
    '',
    s.display,
    '',
    `Case reference: ${s.caseRef}`,
    `Sent: ${formatDay(s.receivedOn)}`,
    '',
    'This case token lets you read and answer messages about your report, and see what is happening.',
    'Keep it private. Anyone who has it can read your report.',
    'It cannot be recovered if you lose it.',
    'To use it, go to the Raise a concern website and choose "I already have a case token".',
    '',
  ].join('\r\n');
}

/** "40WMR-K16SZ" → "4 0 W M R, K 1 6 S Z": screen readers then read one character at a time. */
export function spellOut(display: string): string {
  return display
    .split('-')
    .map((g) => g.split('').join(' '))
    .join(', ');
}

/** The token shown in groups, with a spelled-out copy for screen readers (one long "word" is read as nonsense). */
function TokenText({ display }: { display: string }) {
  const groups = display.split('-');
  return (
    <>
      <p class="govuk-visually-hidden">Your case token, one character at a time: {spellOut(display)}.</p>
      <p class="app-token" data-testid="case-token">
        {groups.map((g, i) => (
          <Fragment key={i}>
            <span class="app-token__group">{g}</span>
            {i < groups.length - 1 && (
              <>
                <span aria-hidden="true">-</span>
                <wbr />
              </>
            )}
          </Fragment>
        ))}
      </p>
    </>
  );
}

export function TokenPage({ sent }: { sent: Sent }) {
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState(false);
  const [copyMessage, setCopyMessage] = useState('');
  const advice = sent.kind === 'advice';
  usePage(advice ? 'Question sent' : 'Report sent', { hasErrors: error });

  // Until the reporter confirms, closing the tab or navigating away asks first
  // (but never when leaving through Exit this page).
  useEffect(() => {
    if (saved) {
      setLeaveGuard(null);
      return;
    }
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (hasExited()) return;
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    setLeaveGuard(() => hasExited() || window.confirm(LEAVE_QUESTION));
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      setLeaveGuard(null);
    };
  }, [saved]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(sent.display);
      setCopyMessage('Case token copied. Paste it somewhere safe and private.');
    } catch {
      setCopyMessage('Your browser did not let us copy the case token. Select it on the screen and copy it, or write it down.');
    }
  };

  const download = () => downloadText('case-token.txt', tokenFileText(sent));

  const onContinue = (e: Event) => {
    e.preventDefault();
    if (!saved) {
      setError(true);
      return;
    }
    setLeaveGuard(null);
    // Forget the token: from here it is only where the reporter saved it.
    sentStore.set(null);
    navigate('/report/done', { replace: true });
  };

  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        {error && <ErrorSummary errors={[{ field: 'saved', message: 'Confirm you have saved your case token somewhere safe' }]} />}
        <Panel title={advice ? 'Question sent' : 'Report sent'}>
          Your case reference is
          <br />
          <strong data-testid="case-ref">{sent.caseRef}</strong>
        </Panel>
        <p class="govuk-body">We received your {advice ? 'question' : 'report'} on {formatDay(sent.receivedOn)}.</p>

        <h2 class="govuk-heading-m">Your case token</h2>
        <p class="govuk-body">You need this case token to read messages from the team, answer them and see what is happening.</p>
        <TokenText display={sent.display} />
        <WarningText>
          Save your case token now. It cannot be recovered or shown again if you lose it. Keep it private: anyone who has it can read
          your report.
        </WarningText>
        <ButtonGroup>
          <Button type="button" variant="secondary" onClick={copy}>
            Copy case token
          </Button>
          <Button type="button" variant="secondary" onClick={download}>
            Download as a text file
          </Button>
        </ButtonGroup>
        <div role="status" class="govuk-body app-status">
          {copyMessage}
        </div>
        <p class="govuk-body">
          You can also write it down. Think about where you keep it: a shared computer, a work phone or a work email account may be
          seen by others.
        </p>

        {sent.receipt && <ReceiptSave receipt={sent.receipt} />}
        {sent.files && sent.files.length > 0 && (
          <>
            <h2 class="govuk-heading-m">Receipts for your files</h2>
            {sent.files.map((f) => (
              <ReceiptSave key={f.receipt.sealedHash} receipt={f.receipt} headingLevel={3} title={`Receipt for ${f.name}`} />
            ))}
          </>
        )}

        <h2 class="govuk-heading-m">What happens next</h2>
        <ul class="govuk-list govuk-list--bullet">
          {advice ? (
            <>
              <li>The team should answer your question within {ADVICE_WITHIN}.</li>
              <li>You can turn the conversation into a report at any time, from your case page.</li>
            </>
          ) : (
            <>
              <li>The team will confirm they have your report within {ACKNOWLEDGE_WITHIN}.</li>
              <li>They will tell you what they are doing about it within {FEEDBACK_WITHIN}.</li>
            </>
          )}
          <li>
            To see replies, come back to this website and choose ‘I already have a case token’, or go to{' '}
            <a class="govuk-link" href="/case">
              check your case
            </a>
            .
          </li>
        </ul>
        <InsetText>If you are worried about being treated badly because you reported this, tell the team in a message.</InsetText>

        <form noValidate onSubmit={onContinue}>
          <Checkbox
            id="saved"
            label="I have saved my case token somewhere safe"
            error={error ? 'Confirm you have saved your case token somewhere safe' : undefined}
            checked={saved}
            onChange={(c) => {
              setSaved(c);
              if (c) setError(false);
            }}
          />
          <Button>Continue</Button>
        </form>
        <SupportList command={sent.command} />
      </div>
    </div>
  );
}

export function DonePage() {
  usePage('What happens next');
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <h1 class="govuk-heading-l">What happens next</h1>
        <p class="govuk-body">The team will confirm they have your report within {ACKNOWLEDGE_WITHIN}, and tell you what they are doing within {FEEDBACK_WITHIN}.</p>
        <p class="govuk-body">
          Use your case token to{' '}
          <a class="govuk-link" href="/case">
            check your case and read messages
          </a>
          .
        </p>
        <p class="govuk-body">This page no longer holds your case token. You can now close this browser window.</p>
        <p class="govuk-body">
          <a class="govuk-link" href="/">
            Go to the start page
          </a>
        </p>
      </div>
    </div>
  );
}
