import { useEffect, useState } from 'preact/hooks';
import { LIMITS } from '../../../shared/src/api/domain.ts';
import { api, ApiError, isStampError } from '../api.ts';
import { ErrorSummary } from '../components/ErrorSummary.tsx';
import { Button, Details, InsetText, SummaryList, Tag, WarningText, type SummaryRow } from '../components/Simple.tsx';
import { Textarea } from '../components/Textarea.tsx';
import { loadCrypto } from '../crypto.ts';
import { usePage } from '../page.ts';
import { prepareStamp, stampWaiting, withStamp } from '../pow/stamp.ts';
import { useStore } from '../store.ts';
import { formatDay, outcomeWords, statusColour, statusWords } from '../reporter/words.ts';
import { caseStore, signOut, type OpenCase } from './session.ts';
import { newReplies } from './unread.ts';
import { ReceiptSave } from '../receipt/ReceiptSave.tsx';
import type { Receipt } from '../../../shared/src/crypto/receipt-format.ts';
import { CaseFilesSection } from './CaseFilesSection.tsx';
import { accountRows, textRows } from '../components/reportRows.ts';
import { CaseTrail } from './CaseTrail.tsx';
import { nextSteps } from './nextSteps.ts';
import { todayInLondon } from '../../../shared/src/domain/clock.ts';
import { SurveySection } from './SurveyForm.tsx';
import { AdviceQuestion, WelfareAndSupport } from '../advice/CaseSupport.tsx';

async function refresh(open: OpenCase): Promise<void> {
  const c = await loadCrypto();
  const view = await api.getCase(open.session.authorization);
  caseStore.set({ session: open.session, view, opened: c.openCaseView(open.session, view) });
}

function reportRows(open: OpenCase): SummaryRow[] {
  const r = open.opened.report;
  const id = open.opened.identity;
  if (!r) return [];
  return [
    ...textRows([
      ['What it is about', r.categoryLabel],
      ['Unit or team', r.unitLabel],
    ]),
    ...accountRows(r),
    { key: 'Your name', value: id ? [id.name, id.role, id.contact].filter(Boolean).join('\n') : 'Anonymous' },
  ];
}

export function CaseDetails({ open, onSignedOut }: { open: OpenCase; onSignedOut: () => void }) {
  const { view, opened } = open;
  const [message, setMessage] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  // Receipts of the messages sent in this visit, by message id: kept in memory only, like the token.
  const [receipts, setReceipts] = useState<ReadonlyMap<string, Receipt>>(new Map());
  const waiting = useStore(stampWaiting);
  // A message needs a proof-of-work stamp: start solving while the reporter reads and writes.
  useEffect(() => prepareStamp(), []);
  usePage('Your case', { hasErrors: error !== null });
  const closed = view.status === 'closed';
  const fresh = newReplies(opened.messages);
  const max = LIMITS.messageTextMax;

  const send = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setAttempt((n) => n + 1);
    const text = message.trim();
    if (!text) return setError('Enter a message');
    if (message.length > max) return setError(`Your message must be ${max.toLocaleString('en-GB')} characters or fewer`);
    setError(null);
    setBusy(true);
    setStatus('Sending your message…');
    try {
      const c = await loadCrypto();
      const body = c.sealMessage(opened.caseKey, open.session.keyPair.publicKey, 'reporter', text);
      const sent = await withStamp((stamp) => api.postMessage(open.session.authorization, body, stamp), isStampError);
      const receipt = sent.receipt;
      if (receipt) setReceipts((m) => new Map(m).set(body.id, receipt));
      setMessage('');
      await refresh(open).catch(() => undefined);
      setStatus('Your message has been sent.');
    } catch (err) {
      setStatus('');
      if (err instanceof ApiError && err.code === 'case_closed') setError('This case is closed, so you cannot send messages about it');
      else if (err instanceof ApiError && err.status === 0) setError('Your message could not be sent. Check your internet connection and try again');
      else setError('Your message could not be sent. Try again in a few minutes');
    } finally {
      setBusy(false);
    }
  };

  const checkAgain = async () => {
    setStatus('Checking for updates…');
    try {
      await refresh(caseStore.get() ?? open);
      setStatus('Your case is up to date.');
    } catch {
      setStatus('We could not check for updates. Try again in a few minutes.');
    }
  };

  const summary: SummaryRow[] = [
    { key: 'Case reference', value: <span data-testid="case-ref">{view.caseRef}</span> },
    { key: 'Status', value: <Tag colour={statusColour(view.status)}>{statusWords(view.status)}</Tag> },
  ];
  const advice = view.kind === 'advice';
  if (advice) summary[1] = { key: 'Status', value: <Tag colour="purple">Advice request</Tag> };
  const next = nextSteps(view, advice, todayInLondon());

  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <ErrorSummary errors={error ? [{ field: 'message', message: error }] : []} attempt={attempt} />
        <h1 class="govuk-heading-l">Your case</h1>
        <SummaryList rows={summary} />
        {next && <p class="govuk-body">{next}</p>}
        {advice && view.expiresOn && (
          <WarningText>
            <span data-testid="advice-expiry">
              If nobody writes before {formatDay(view.expiresOn)}, this request and its messages will be deleted on that day. Writing a
              message keeps it for longer.
            </span>
          </WarningText>
        )}
        <CaseTrail steps={view.history} outcome={view.outcome} due={view.due} audience="reporter" />
        {closed && (
          <>
            <h2 class="govuk-heading-m">Outcome</h2>
            <p class="govuk-body">{outcomeWords(view.outcome)}</p>
          </>
        )}
        <SurveySection open={open} />

        <AdviceQuestion open={open} />

        <h2 class="govuk-heading-m">Messages</h2>
        {fresh.size > 0 && (
          <p class="govuk-body">
            <Tag colour="blue">{fresh.size === 1 ? '1 new reply' : `${fresh.size} new replies`}</Tag> from the team since you last
            wrote.
          </p>
        )}
        {opened.messages.length === 0 && <p class="govuk-body">There are no messages yet.</p>}
        {opened.messages.map((m) => (
          <div class={`app-message${m.from === 'triage' ? ' app-message--triage' : ''}`} key={m.id}>
            <h3 class="govuk-heading-s govuk-!-margin-bottom-1">
              {m.from === 'reporter' ? 'You' : 'The team'}
              {fresh.has(m.id) && <span class="govuk-!-margin-left-2"><Tag colour="blue">New</Tag></span>}
              <span class="govuk-caption-m">{formatDay(m.on)}</span>
            </h3>
            {m.text === null ? (
              <p class="govuk-body govuk-!-font-weight-bold">This message could not be opened. It may have been damaged. You can ask the team to send it again.</p>
            ) : (
              <p class="govuk-body">{m.text}</p>
            )}
            {receipts.has(m.id) && <ReceiptSave receipt={receipts.get(m.id)!} headingLevel={3} />}
          </div>
        ))}

        {closed && (
          <InsetText>
            This case is closed. If you have been treated badly because you reported it, tell the team here: your message is linked to this case.
          </InsetText>
        )}
        <form noValidate onSubmit={send}>
          <Textarea
            id="message"
            label="Send a message to the team"
            labelSize="m"
            hint="Your message is locked in your browser before it is sent. Tell the team if you have been treated badly because you reported this."
            error={error ?? undefined}
            value={message}
            onInput={setMessage}
            rows={6}
            maxLength={max}
          />
          <Button>Send message</Button>
        </form>

        <div role="status" class="govuk-body app-status">
          {busy && waiting ? 'Preparing to send securely… this can take a few seconds.' : status}
        </div>
        <Button type="button" variant="secondary" onClick={checkAgain}>
          Check for new messages
        </Button>

        <CaseFilesSection open={open} onAdded={() => refresh(caseStore.get() ?? open)} />

        {opened.report && (
          <>
            <h2 class="govuk-heading-m">Your report</h2>
            <Details summary="Show what you reported">
              <SummaryList rows={reportRows(open)} />
            </Details>
          </>
        )}

        <WelfareAndSupport open={open} />

        <h2 class="govuk-heading-m">When you have finished</h2>
        <p class="govuk-body">Sign out so this page no longer holds your case token, especially on a shared device.</p>
        <Button
          type="button"
          variant="warning"
          id="sign-out"
          onClick={() => {
            signOut();
            onSignedOut();
          }}
        >
          Sign out of this case
        </Button>
      </div>
    </div>
  );
}
