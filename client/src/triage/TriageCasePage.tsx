// One case, opened in this browser. A conflict-of-interest question comes
// before anything else is shown: only "who was involved" is revealed first.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorSummary } from '../components/ErrorSummary.tsx';
import type { FieldError } from '../reporter/flow.ts';
import { Radios } from '../components/Radios.tsx';
import { Button, SummaryList } from '../components/Simple.tsx';
import { focusHeading, usePage } from '../page.ts';
import { ApiError, staffApi } from '../staff/api.ts';
import { loadStaffCrypto } from '../staff/crypto.ts';
import { Banner, Status } from '../staff/Fields.tsx';
import { onSessionEnd, type StaffSession } from '../staff/session.ts';
import { CaseActions } from './CaseActions.tsx';
import { CaseView } from './CaseView.tsx';
import { CaseFiles } from './CaseFiles.tsx';
import { navigate } from '../router.ts';
import { inboxNotice } from './notice.ts';
import { createInternalKey, openStaffCase, wipe, type OpenedStaffCase } from './opened.ts';
import { REASON_WORDS, referralProblem } from './referral.ts';

/**
 * What the last action on the page came to, shown at the top of the page. `n`
 * counts actions, so a repeat of the same message takes focus again.
 */
type Outcome = { kind: 'done'; text: string; n: number } | { kind: 'errors'; errors: FieldError[]; n: number } | null;

type State = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'recused' } | { kind: 'open'; opened: OpenedStaffCase };

function loadError(err: unknown): string {
  if (err instanceof ApiError && (err.status === 403 || err.status === 404)) return 'You do not have access to this case, or it does not exist.';
  if (err instanceof ApiError && err.status === 0) return 'Could not connect. Check your connection and try again.';
  if (err instanceof ApiError) return 'The case could not be loaded. Try again.';
  return 'Your browser could not unlock this case. Sign out, sign in again and retry.';
}

export function TriageCasePage({ session, caseRef }: { session: StaffSession; caseRef: string }) {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [outcome, setOutcome] = useState<Outcome>(null);
  const held = useRef<OpenedStaffCase | null>(null);
  const title = state.kind === 'recused' ? 'You have been removed from this case' : `Case ${caseRef}`;
  usePage(title, { back: '/triage', hasErrors: outcome?.kind === 'errors' });

  const hold = (o: OpenedStaffCase | null) => {
    if (held.current && held.current !== o) wipe(held.current);
    held.current = o;
  };

  const load = async (): Promise<void> => {
    const keyPair = session.keyPair;
    if (!keyPair) return setState({ kind: 'error', message: 'Your account holds no case key.' });
    try {
      const c = await loadStaffCrypto();
      let detail = await staffApi.case(caseRef);
      if (detail.referral?.direction === 'incoming') {
        // Referred to my team: prove the wraps open here before the case leaves the other team.
        const problem = referralProblem(c, keyPair, detail);
        if (problem) {
          await staffApi.rejectReferral(caseRef, problem);
          inboxNotice.set({
            kind: 'important',
            text: `Case ${caseRef} could not be opened: ${REASON_WORDS[problem]} did not open in your browser. It has gone back to ${detail.referral.from.label}, and their team lead has been told.`,
          });
          return navigate('/triage');
        }
        // Another member may have confirmed it a moment ago: either way it is ours now.
        await staffApi.confirmReferral(caseRef).catch((err: unknown) => {
          if (!(err instanceof ApiError && err.status === 403)) throw err;
        });
        detail = await staffApi.case(caseRef);
      }
      let opened = openStaffCase(c, keyPair, detail);
      if (opened.detail.conflict === 'none' && !opened.internalKey) {
        await createInternalKey(c, opened.detail, { id: session.staff.id, publicKey: c.rc1.toB64u(keyPair.publicKey) });
        wipe(opened);
        opened = openStaffCase(c, keyPair, await staffApi.case(caseRef));
      }
      hold(opened);
      setState({ kind: 'open', opened });
      if (opened.detail.conflict === 'none' && opened.detail.messages.some((m) => m.from === 'reporter' && !m.read)) {
        staffApi.read(caseRef).catch(() => undefined);
      }
    } catch (err) {
      setState({ kind: 'error', message: loadError(err) });
    }
  };

  useEffect(() => {
    void load();
    const off = onSessionEnd(() => hold(null));
    return () => {
      off();
      hold(null);
    };
  }, [caseRef]);

  const refresh = async (message: string) => {
    await load();
    setOutcome((o) => ({ kind: 'done', text: message, n: (o?.n ?? 0) + 1 }));
  };
  const showErrors = (errors: FieldError[]) => setOutcome((o) => ({ kind: 'errors', errors, n: (o?.n ?? 0) + 1 }));

  if (state.kind === 'loading') return <Status text="Opening the case…" />;
  if (state.kind === 'error') {
    return (
      <>
        <h1 class="govuk-heading-l">Case {caseRef}</h1>
        <p class="govuk-body" role="alert">
          {state.message}
        </p>
        <p class="govuk-body">
          <a class="govuk-link" href="/triage">
            Back to cases
          </a>
        </p>
      </>
    );
  }
  if (state.kind === 'recused') {
    return (
      <>
        <h1 class="govuk-heading-l">You have been removed from this case</h1>
        <p class="govuk-body">You have been removed from this case. Your team lead has been told.</p>
        <p class="govuk-body">
          <a class="govuk-link" href="/triage">
            Back to cases
          </a>
        </p>
      </>
    );
  }
  const { opened } = state;
  if (opened.detail.conflict === 'undeclared') {
    return (
      <ConflictQuestion
        opened={opened}
        onAnswered={async (knows) => {
          if (knows) {
            hold(null);
            setState({ kind: 'recused' });
            requestAnimationFrame(focusHeading);
          } else {
            await load();
            requestAnimationFrame(focusHeading);
          }
        }}
      />
    );
  }
  return (
    <>
      {/* The forms are far below: their outcome goes here, at the top, and takes focus. */}
      {outcome?.kind === 'done' && (
        <Banner title="Success" success focusKey={outcome.n}>
          <p class="govuk-notification-banner__heading">{outcome.text}</p>
        </Banner>
      )}
      {outcome?.kind === 'errors' && <ErrorSummary errors={outcome.errors} attempt={outcome.n} />}
      <CaseView opened={opened} />
      <CaseFiles key={opened.detail.attachments.length} opened={opened} onAdded={(names) => refresh(`${names.join(', ')} ${names.length === 1 ? 'has' : 'have'} been added to the case.`)} />
      <CaseActions opened={opened} session={session} onDone={refresh} onErrors={showErrors} />
    </>
  );
}

function ConflictQuestion({ opened, onAnswered }: { opened: OpenedStaffCase; onAnswered: (knows: boolean) => Promise<void> }) {
  const [answer, setAnswer] = useState<string | undefined>(undefined);
  const [error, setError] = useState('');
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setAttempt((n) => n + 1);
    if (!answer) return setError('Select yes if you know any of the people involved');
    setBusy(true);
    try {
      await staffApi.conflict(opened.detail.caseRef, answer === 'yes');
      await onAnswered(answer === 'yes');
    } catch {
      setError('Your answer could not be saved. Try again');
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <ErrorSummary errors={error ? [{ field: 'knows-people', message: error }] : []} attempt={attempt} />
        <span class="govuk-caption-l">Case {opened.detail.caseRef}</span>
        <h1 class="govuk-heading-l">Before you read this case</h1>
        <p class="govuk-body">You must not handle a case about someone you know. This is who the report is about:</p>
        <SummaryList rows={[{ key: 'Who was involved', value: opened.report?.people?.trim() || (opened.report ? 'The reporter did not say' : 'Nobody named yet: this is a request for advice, not a report') }]} />
        <form noValidate onSubmit={submit}>
          <Radios
            name="knows-people"
            legend="Do you know any of the people involved?"
            legendSize="m"
            hint="This includes friends, relatives, people you work closely with, and anyone you have a dispute with."
            value={answer}
            onChange={setAnswer}
            error={error || undefined}
            items={[
              { value: 'yes', label: 'Yes', hint: 'You will be removed from this case and your team lead will be told.' },
              { value: 'no', label: 'No' },
            ]}
          />
          <Status text={busy ? 'Saving your answer…' : ''} />
          <Button disabled={busy}>Continue</Button>
        </form>
      </div>
    </div>
  );
}
