import { ErrorSummary } from '../components/ErrorSummary.tsx';
import { CopyToken, notSavedWords, SavedCheckForm, TokenText, useLeaveGuard, useSavedCheck } from '../components/NewToken.tsx';
import { Button, InsetText, Panel, WarningText } from '../components/Simple.tsx';
import { usePage } from '../page.ts';
import { navigate, setLeaveGuard } from '../router.ts';
import { sentStore, type Sent } from './state.ts';
import { formatDay } from './words.ts';
import { ACKNOWLEDGE_WITHIN, ADVICE_WITHIN, FEEDBACK_WITHIN } from '../../../shared/src/domain/clock.ts';
import { ReceiptSave } from '../receipt/ReceiptSave.tsx';
import { downloadText } from '../receipt/save.ts';
import { SupportList } from '../advice/SupportList.tsx';

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

export function TokenPage({ sent }: { sent: Sent }) {
  const check = useSavedCheck(() => {
    setLeaveGuard(null);
    // Forget the token: from here it is only where the reporter saved it.
    sentStore.set(null);
    navigate('/report/done', { replace: true });
  });
  const { saved, error } = check;
  const advice = sent.kind === 'advice';
  usePage(advice ? 'Question sent' : 'Report sent', { hasErrors: error });

  useLeaveGuard('case', saved);

  const download = () => downloadText('case-token.txt', tokenFileText(sent));

  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        {error && <ErrorSummary errors={[{ field: 'saved', message: notSavedWords('case') }]} />}
        <Panel title={advice ? 'Question sent' : 'Report sent'}>
          Your case reference is
          <br />
          <strong data-testid="case-ref">{sent.caseRef}</strong>
        </Panel>
        <p class="govuk-body">We received your {advice ? 'question' : 'report'} on {formatDay(sent.receivedOn)}.</p>

        <h2 class="govuk-heading-m">Your case token</h2>
        <p class="govuk-body">You need this case token to read messages from the team, answer them and see what is happening.</p>
        <TokenText kind="case" display={sent.display} />
        <WarningText>
          Save your case token now. It cannot be recovered or shown again if you lose it. Keep it private: anyone who has it can read
          your report.
        </WarningText>
        <CopyToken kind="case" display={sent.display}>
          <Button type="button" variant="secondary" onClick={download}>
            Download as a text file
          </Button>
        </CopyToken>

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

        <SavedCheckForm kind="case" check={check} />
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
