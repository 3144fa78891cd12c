// "Did you feel listened to?": an optional question set, offered when a case
// closes and when it has been open for three months. Two statements on a
// 5-point scale and an optional comment, sealed in this browser under the case
// key (record kind rc1/survey) so only the team can read it.
import { useState } from 'preact/hooks';
import type { InvitationView } from '../../../shared/src/api/schemas.ts';
import { SCALE_WORDS, SURVEY_COMMENT_MAX, SURVEY_QUESTIONS } from '../../../shared/src/domain/trail.ts';
import { api, ApiError, isStampError } from '../api.ts';
import { ErrorSummary } from '../components/ErrorSummary.tsx';
import { Radios } from '../components/Radios.tsx';
import { Button } from '../components/Simple.tsx';
import { Textarea } from '../components/Textarea.tsx';
import { loadCrypto } from '../crypto.ts';
import { withStamp } from '../pow/stamp.ts';
import { formatDay } from '../reporter/words.ts';
import { caseStore, type OpenCase } from './session.ts';

const ITEMS = SCALE_WORDS.map((label, i) => ({ value: String(i + 1), label }));

/** The invitation to show: the latest one not yet answered. */
export const openInvitation = (survey: InvitationView[]): InvitationView | undefined => survey.filter((i) => !i.answered).at(-1);

type Errors = { listened?: string; supported?: string; comment?: string; form?: string };

export function SurveyForm({ open, invitation, onAnswered }: { open: OpenCase; invitation: InvitationView; onAnswered: () => Promise<void> }) {
  const [listened, setListened] = useState<string | undefined>();
  const [supported, setSupported] = useState<string | undefined>();
  const [comment, setComment] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const found: Errors = {};
    if (!listened) found.listened = 'Select how much you agree that you felt listened to';
    if (!supported) found.supported = 'Select how much you agree that you felt supported';
    if (comment.length > SURVEY_COMMENT_MAX) found.comment = `Your comment must be ${SURVEY_COMMENT_MAX.toLocaleString('en-GB')} characters or fewer`;
    setAttempt((n) => n + 1);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    setStatus('Sending your answers…');
    try {
      const c = await loadCrypto();
      const text = comment.trim();
      const sealed = text ? c.sealSurveyComment(open.opened.caseKey, open.session.keyPair.publicKey, text) : { id: c.toB64u(c.generateId()) };
      const body = { invitation: invitation.invitation, id: sealed.id, listened: Number(listened), supported: Number(supported), ...('comment' in sealed ? { comment: sealed.comment } : {}) };
      await withStamp((stamp) => api.postSurvey(open.session.authorization, body, stamp), isStampError);
      setStatus('');
      await onAnswered();
    } catch (err) {
      setStatus('');
      if (err instanceof ApiError && err.code === 'survey_answered') await onAnswered();
      else if (err instanceof ApiError && err.status === 0) setErrors({ form: 'Your answers could not be sent. Check your internet connection and try again' });
      else setErrors({ form: 'Your answers could not be sent. Try again in a few minutes' });
    } finally {
      setBusy(false);
    }
  };

  const summary = [
    ...(errors.listened ? [{ field: 'listened', message: errors.listened }] : []),
    ...(errors.supported ? [{ field: 'supported', message: errors.supported }] : []),
    ...(errors.comment ? [{ field: 'survey-comment', message: errors.comment }] : []),
    ...(errors.form ? [{ field: 'listened', message: errors.form }] : []),
  ];
  return (
    <section aria-labelledby="survey-heading" class="app-survey" data-testid="survey">
      <h2 class="govuk-heading-m" id="survey-heading">
        Did you feel listened to?
      </h2>
      <ErrorSummary errors={summary} attempt={attempt} />
      <p class="govuk-body">
        {invitation.kind === 'closed'
          ? `Your case was closed on ${formatDay(invitation.on)}.`
          : `Your case has been open since ${formatDay(open.view.history[0]?.on ?? invitation.on)}.`}{' '}
        You can tell us how it has felt so far. This is optional. Your answers help the force see how well it supports people who speak up.
      </p>
      <form noValidate onSubmit={submit}>
        <Radios name="listened" legend={SURVEY_QUESTIONS.listened} legendSize="s" small items={ITEMS} value={listened} onChange={setListened} error={errors.listened} />
        <Radios name="supported" legend={SURVEY_QUESTIONS.supported} legendSize="s" small items={ITEMS} value={supported} onChange={setSupported} error={errors.supported} />
        <Textarea
          id="survey-comment"
          label="Anything you want to add (optional)"
          labelSize="s"
          hint="Only the team handling your case can read this. It is locked in your browser before it is sent."
          error={errors.comment}
          value={comment}
          onInput={setComment}
          rows={4}
          maxLength={SURVEY_COMMENT_MAX}
        />
        <div role="status" class="govuk-body app-status">
          {status}
        </div>
        <Button variant="secondary">Send your answers</Button>
      </form>
    </section>
  );
}

/** The survey if an invitation is open, then a thank-you once answered (the page's case view is refreshed). */
export function SurveySection({ open }: { open: OpenCase }) {
  const [thanked, setThanked] = useState(false);
  const invitation = openInvitation(open.view.survey);
  const answered = async () => {
    const c = await loadCrypto();
    const view = await api.getCase(open.session.authorization).catch(() => null);
    if (view) caseStore.set({ session: open.session, view, opened: c.openCaseView(open.session, view) });
    setThanked(true);
  };
  if (thanked && !invitation) {
    return (
      <div class="govuk-inset-text" role="status" data-testid="survey-thanks">
        Thank you. Your answers have been sent.
      </div>
    );
  }
  return invitation ? <SurveyForm key={invitation.invitation} open={open} invitation={invitation} onAnswered={answered} /> : null;
}
