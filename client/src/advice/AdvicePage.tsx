// Ask for advice before reporting: one page, a question to the PSU of the reporter's own command
// or to a central team. Sealed exactly like a report (token, case key, wraps to the team's
// certified keys and the recovery key) and stamped; the token page then shows the case token.
import { useEffect, useState } from 'preact/hooks';
import { LIMITS } from '../../../shared/src/api/domain.ts';
import type { IntakeInfo } from '../../../shared/src/api/schemas.ts';
import { ADVICE_WITHIN } from '../../../shared/src/domain/clock.ts';
import { api, ApiError, isStampError } from '../api.ts';
import { ErrorSummary } from '../components/ErrorSummary.tsx';
import { Radios } from '../components/Radios.tsx';
import { Button, InsetText } from '../components/Simple.tsx';
import { SendStatus } from '../components/SendStatus.tsx';
import { Textarea } from '../components/Textarea.tsx';
import { loadCrypto, preloadCrypto } from '../crypto.ts';
import { ORG_PUBLIC_KEY } from '../org-key.ts';
import { usePage } from '../page.ts';
import { prepareStamp, withStamp } from '../pow/stamp.ts';
import { navigate } from '../router.ts';
import { loadIntake, sentStore, useIntake } from '../reporter/state.ts';

const CENTRAL = 'central';
type Errors = Partial<Record<'team' | 'question', string>>;

function failureWords(e: unknown): string {
  if (e instanceof ApiError && e.status === 0) return 'Your question could not be sent. Check your internet connection and try again';
  if (e instanceof ApiError && (e.status === 429 || e.status === 503)) return 'The service is busy. Wait a few minutes and try again';
  if (!(e instanceof ApiError)) return 'Your browser could not lock your question securely, so nothing was sent. Try again, or use an up-to-date browser';
  return 'Your question could not be sent. Try again in a few minutes';
}

function AdviceForm({ intake }: { intake: IntakeInfo }) {
  const [team, setTeam] = useState<string | undefined>(undefined);
  const [question, setQuestion] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [sendError, setSendError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const hasErrors = Object.keys(errors).length > 0 || sendError !== null;
  usePage('Ask for advice before you report', { hasErrors, back: '/' });
  useEffect(() => {
    preloadCrypto();
    prepareStamp();
  }, []);
  const max = LIMITS.messageTextMax;
  const commands = [...new Map(intake.units.map((u) => [u.command, u.commandLabel])).entries()];
  const central = intake.teams.find((t) => t.id === intake.routing.centralTeam);

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setAttempt((n) => n + 1);
    const next: Errors = {};
    if (!team) next.team = 'Select who you want to ask';
    if (!question.trim()) next.question = 'Enter your question';
    else if (question.length > max) next.question = `Your question must be ${max.toLocaleString('en-GB')} characters or fewer`;
    setErrors(next);
    setSendError(null);
    if (Object.keys(next).length > 0 || !team) return;
    setBusy(true);
    try {
      const command = team === CENTRAL ? undefined : team;
      const c = await loadCrypto();
      const info = await api.adviceRecipients(command);
      const sealed = c.sealAdvice({ question: question.trim(), teamLabel: info.team.label }, command, info, c.fromB64u(ORG_PUBLIC_KEY));
      const result = await withStamp((stamp) => api.submitAdvice(sealed.body, stamp), isStampError);
      sentStore.set({
        token: sealed.token, display: c.formatToken(sealed.token), caseRef: result.caseRef, receivedOn: result.receivedOn, kind: 'advice',
        ...(command ? { command } : {}),
      });
      setQuestion('');
      navigate('/report/token', { replace: true });
    } catch (err) {
      setSendError(failureWords(err));
    } finally {
      setBusy(false);
    }
  };

  const summary = [
    ...(errors.team ? [{ field: 'team', message: errors.team }] : []),
    ...(errors.question ? [{ field: 'question', message: errors.question }] : []),
    ...(sendError ? [{ field: 'question', message: sendError }] : []),
  ];
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <ErrorSummary errors={summary} attempt={attempt} />
        <h1 class="govuk-heading-l">Ask for advice before you report</h1>
        <p class="govuk-body">
          You can ask a Professional Standards Unit a question without making a report, for example whether something is serious
          enough to report, or what would happen if you did.
        </p>
        <p class="govuk-body">
          Your question is locked in your browser before it is sent, like a report. It does not start a case: nobody assesses it or
          records an outcome. You get a case token to read the answer, and you can turn the conversation into a report at any time.
        </p>
        <p class="govuk-body">The team should answer within {ADVICE_WITHIN}.</p>
        <form noValidate onSubmit={onSubmit}>
          <Radios
            name="team"
            legend="Who do you want to ask?"
            legendSize="m"
            hint="Your own command’s Professional Standards Unit, or a central team outside your command."
            error={errors.team}
            value={team}
            onChange={setTeam}
            items={commands.map(([id, label]) => ({ value: id, label: `${label} Professional Standards Unit` }))}
            orItem={{ value: CENTRAL, label: central ? `${central.label} (a central team)` : 'A central team', hint: 'Outside your own command.' }}
          />
          <Textarea
            id="question"
            label="Your question"
            labelSize="m"
            hint="Do not include your name unless you want to. Details may show who you are."
            error={errors.question ?? sendError ?? undefined}
            value={question}
            onInput={setQuestion}
            rows={6}
            maxLength={max}
          />
          <SendStatus busy={busy} sending="Sending your question…" />
          <Button>Send question</Button>
        </form>
        <InsetText>
          If you are ready to report,{' '}
          <a class="govuk-link" href="/report/category">
            make a report instead
          </a>
          .
        </InsetText>
      </div>
    </div>
  );
}

export function AdvicePage() {
  const state = useIntake();
  if (state.kind === 'loading') return <p class="govuk-body" role="status">Loading…</p>;
  if (state.kind === 'error') {
    return (
      <>
        <h1 class="govuk-heading-l">Sorry, there is a problem with the service</h1>
        <p class="govuk-body">We could not load this page. Check your internet connection and try again.</p>
        <button type="button" class="govuk-button" data-module="govuk-button" onClick={() => loadIntake(true)}>
          Try again
        </button>
      </>
    );
  }
  return <AdviceForm intake={state.intake} />;
}
