import { api, ApiError, isStampError } from '../api.ts';
import { ErrorSummary } from '../components/ErrorSummary.tsx';
import { Button, InsetText, SummaryList, type SummaryRow } from '../components/Simple.tsx';
import { loadCrypto } from '../crypto.ts';
import { stampWaiting, withStamp } from '../pow/stamp.ts';
import { usePage } from '../page.ts';
import { navigate } from '../router.ts';
import { useStore } from '../store.ts';
import { applies, categoryLabel, NO_UNIT, routedTeamLabel, stepPath, toDraft, unitLabel, type Intake, type StepId } from './flow.ts';
import { QUESTIONS } from './QuestionPage.tsx';
import { isBusy, runSend, UNVERIFIED, type FailureReason, type SendEffects } from './send.ts';
import { ORG_PUBLIC_KEY } from '../org-key.ts';
import { answersStore, pendingCaseKey, pendingToken, resetReport, sendStore, sentStore, setPendingCaseKey, setPendingToken } from './state.ts';
import { chosenStore, markUploaded } from '../attachments/chosen.ts';
import { progressWords, reporterTarget, uploadFile } from '../attachments/upload.ts';
import { toSend } from '../attachments/chosen.ts';
import { createStore } from '../store.ts';

/** What the status line says while files are sent, in plain words. */
const fileProgress = createStore<string>('');

/** Seals and uploads each chosen file not yet stored, with the report's token and case key; returns their ids. */
async function sendFiles(): Promise<string[]> {
  const files = chosenStore.get();
  if (files.length === 0) return [];
  const c = await loadCrypto();
  if (!pendingToken || !pendingCaseKey) throw new Error('files sent before sealing');
  const session = c.reporterSession(pendingToken);
  const target = reporterTarget(session.authorization, (run) => withStamp(run, isStampError));
  const ids: string[] = [];
  for (const [n, f] of files.entries()) {
    if (f.uploadedId) { ids.push(f.uploadedId); continue; }
    const label = files.length > 1 ? `file ${n + 1} of ${files.length} (${f.file.name})` : f.file.name;
    const done = await uploadFile(c, target, pendingCaseKey, session.keyPair.publicKey, toSend(f), f.file.name, f.file.type, {
      onProgress: (p) => fileProgress.set(progressWords(label, p)),
    });
    markUploaded(f.key, done.id);
    ids.push(done.id);
  }
  fileProgress.set('');
  return ids;
}

const FAILURE_WORDS: Record<FailureReason, { text: string; fix?: { step: StepId; label: string } }> = {
  network: { text: 'Your report could not be sent because the connection failed. Check your internet connection and try again.' },
  busy: { text: 'The service is busy. Wait a minute, then try again.' },
  server: { text: 'Something went wrong on our side. Try again in a few minutes.' },
  'too-large': {
    text: 'Your report is too long to send. Make what happened shorter, then try again.',
    fix: { step: 'what-happened', label: 'Change what happened' },
  },
  'choices-changed': {
    text: 'The list of concerns or units has changed since you started. Choose again, then try again.',
    fix: { step: 'category', label: 'Choose what your concern is about again' },
  },
  recipients: { text: 'The team who will read your report changed while we were sending it. Try again in a few minutes.' },
  crypto: { text: 'Your browser could not lock your report. Try again, or use a different, up-to-date browser.' },
  unverified: {
    text: 'We could not confirm who will read your report, so we have not sent it. Your answers are still here. '
      + 'Do not send it for now: try again tomorrow, or raise your concern another way, for example in person with a manager you trust outside your unit.',
  },
};

function effects(): SendEffects {
  return {
    recipients: (d) => api.recipients(d.category, d.unit, d.avoidOwnUnit),
    seal: async (d, recipients, token) => {
      const c = await loadCrypto();
      // One case key for the whole attempt: files already sealed under it stay readable after a reseal.
      if (!pendingCaseKey) setPendingCaseKey(c.generateKey());
      return c.sealVerified(d, recipients, c.fromB64u(ORG_PUBLIC_KEY), token, pendingCaseKey);
    },
    submit: async (body) => {
      // Files first: the report is acknowledged only once every chunk of each is stored.
      const ids = await sendFiles();
      const full = ids.length > 0 ? { ...body, attachments: ids } : body;
      return withStamp((stamp) => api.submit(full, stamp), isStampError);
    },
    lookUp: async (token) => {
      const c = await loadCrypto();
      const view = await api.getCase(c.reporterSession(token).authorization);
      return { caseRef: view.caseRef, receivedOn: view.history[0]?.on ?? '' };
    },
    errorInfo: (e) => (e instanceof ApiError ? { status: e.status, code: e.code }
      : { status: -1, code: e instanceof Error && e.name === 'KeyChainError' ? UNVERIFIED : 'crypto' }),
  };
}

function rows(intake: Intake): SummaryRow[] {
  const a = answersStore.get();
  const change = (step: StepId, hidden: string) => ({ href: `${stepPath(step)}?change=true`, hidden });
  const r: SummaryRow[] = [
    { key: 'What it is about', value: categoryLabel(a, intake) ?? '', change: change('category', 'what it is about') },
    { key: 'Unit or team', value: a.unit === NO_UNIT ? 'Not given' : (unitLabel(a, intake) ?? ''), change: change('unit', 'unit or team') },
  ];
  if (applies('own-unit', a, intake)) {
    r.push({
      key: 'Your own unit’s Professional Standards Unit',
      value: a.avoidOwnUnit ? 'Do not send to it' : 'Can read it',
      change: change('own-unit', 'who should read your report'),
    });
  }
  r.push(
    { key: 'What happened', value: a.narrative.trim(), change: change('what-happened', 'what happened') },
    { key: 'When', value: a.when.trim() || 'Not given', change: change('when', 'when it happened') },
    { key: 'Where', value: a.where.trim() || 'Not given', change: change('where', 'where it happened') },
    { key: 'Who was involved', value: a.people.trim() || 'Not given', change: change('people', 'who was involved') },
    { key: 'Witnesses', value: a.witnesses.trim() || 'Not given', change: change('witnesses', 'witnesses') },
    {
      key: 'Files',
      value: chosenStore.get().map((f) => f.file.name).join('\n') || 'None',
      change: { href: '/report/files', hidden: 'files' },
    },
    {
      key: 'Your name',
      value: a.mode === 'named' ? [a.name.trim(), a.role.trim(), a.contact.trim()].filter(Boolean).join('\n') : 'Anonymous',
      change: change('about-you', 'whether you give your name'),
    },
  );
  return r;
}

export function CheckPage({ intake }: { intake: Intake }) {
  const state = useStore(sendStore);
  const waiting = useStore(stampWaiting);
  const progress = useStore(fileProgress);
  useStore(chosenStore);
  const answers = useStore(answersStore);
  const failed = state.kind === 'failed';
  usePage('Check your answers before sending your report', { hasErrors: failed, back: stepPath('about-you') });
  const team = routedTeamLabel(answers, intake);

  const send = async (e: Event) => {
    e.preventDefault();
    if (isBusy(sendStore.get())) return;
    const draft = toDraft(answersStore.get(), intake);
    const end = await runSend(draft, pendingToken, effects(), (s) => sendStore.set(s), setPendingToken);
    if (end.kind === 'sent' && pendingToken) {
      const c = await loadCrypto();
      // The files' names are known only here: pair each receipt with its file before the draft is forgotten.
      const names = new Map(chosenStore.get().flatMap((f) => (f.uploadedId ? [[f.uploadedId, f.file.name] as const] : [])));
      const files = (end.attachmentReceipts ?? []).map((r) => ({ name: names.get(r.id) ?? 'a file', receipt: r.receipt }));
      sentStore.set({
        token: pendingToken, display: c.formatToken(pendingToken), caseRef: end.caseRef, receivedOn: end.receivedOn,
        ...(end.receipt ? { receipt: end.receipt } : {}), ...(files.length > 0 ? { files } : {}),
      });
      // The draft is no longer needed once it is sealed and received.
      resetReport();
      navigate('/report/token', { replace: true });
    }
  };

  const failure = state.kind === 'failed' ? FAILURE_WORDS[state.reason] : undefined;

  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        {failure && <ErrorSummary errors={[{ field: 'send-report', message: failure.text }]} />}
        {failure?.fix && (
          <p class="govuk-body">
            <a class="govuk-link" href={`${stepPath(failure.fix.step)}?change=true`}>
              {failure.fix.label}
            </a>
          </p>
        )}
        <h1 class="govuk-heading-l">Check your answers before sending your report</h1>
        <SummaryList rows={rows(intake)} />

        <h2 class="govuk-heading-m">Now send your report</h2>
        {team && <p class="govuk-body">Your report will go to: {team}.</p>}
        <p class="govuk-body">
          When you select ‘Send report’, your report is locked in this browser, so only that team can read it. Then you will get
          your case token.
        </p>
        <InsetText>You cannot change your report after you send it, but you can send the team messages.</InsetText>
        <form noValidate onSubmit={send}>
          <div class="app-status govuk-body" role="status" aria-live="polite">
            {state.kind === 'sealing' && 'Locking your report…'}
            {state.kind === 'sending' && (progress || (waiting ? 'Preparing to send securely… this can take a few seconds.' : 'Sending your report…'))}
          </div>
          {/* Not disabled while busy: a disabled button drops keyboard focus. */}
          <Button id="send-report">
            {failed ? 'Try again' : 'Send report'}
          </Button>
        </form>
      </div>
    </div>
  );
}
