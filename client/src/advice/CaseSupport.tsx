// What the reporter's case page shows besides the case itself: for an advice request, the question
// and the way to turn it into a report; for any case, asking for a welfare contact and where to get
// support. Mounted by case/CaseDetails.tsx.
import { useState } from 'preact/hooks';
import { api, isStampError } from '../api.ts';
import { Button, InsetText } from '../components/Simple.tsx';
import { loadCrypto } from '../crypto.ts';
import { withStamp } from '../pow/stamp.ts';
import { formatDay } from '../reporter/words.ts';
import { caseStore, type OpenCase } from '../case/session.ts';
import { convertingStore } from './convert.ts';
import { SupportList } from './SupportList.tsx';

/** The advice question, and the way to turn it into a report (advice requests only). */
export function AdviceQuestion({ open }: { open: OpenCase }) {
  const { view, opened } = open;
  if (view.kind !== 'advice' && !view.convertedOn) return null;
  return (
    <>
      <h2 class="govuk-heading-m">Your question</h2>
      <p class="govuk-body app-message" data-testid="advice-question">
        {opened.advice?.question ?? 'Your question could not be opened.'}
      </p>
      {view.kind === 'advice' ? (
        <>
          <p class="govuk-body">
            This is a request for advice, not a report. Nobody assesses it or records an outcome. You can turn it into a report at any
            time: the team you asked will see your report, your question and your messages together.
          </p>
          <Button type="button" variant="secondary" id="convert" onClick={() => convertingStore.set(true)}>
            Turn this into a report
          </Button>
        </>
      ) : (
        view.convertedOn && <p class="govuk-body">You turned this question into a report on {formatDay(view.convertedOn)}.</p>
      )}
    </>
  );
}

/** Asking for a welfare contact through the channel, and where to get support. */
export function WelfareAndSupport({ open }: { open: OpenCase }) {
  const { view } = open;
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const ask = async () => {
    if (busy) return;
    setBusy(true);
    setStatus('Sending your request…');
    try {
      await withStamp((stamp) => api.requestWelfare(open.session.authorization, stamp), isStampError);
      const c = await loadCrypto();
      const next = await api.getCase(open.session.authorization);
      caseStore.set({ session: open.session, view: next, opened: c.openCaseView(open.session, next) });
      setStatus('Your request has been sent. The team will offer you a welfare contact.');
    } catch {
      setStatus('Your request could not be sent. Try again in a few minutes.');
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <h2 class="govuk-heading-m">Ask for a welfare contact</h2>
      {view.welfare.requested ? (
        <InsetText>You have asked for a welfare contact. The team will offer you one.</InsetText>
      ) : (
        <>
          {view.welfare.supportOffered && <p class="govuk-body">The team has offered you support.</p>}
          <p class="govuk-body">
            You can ask the team to put you in touch with a welfare officer. They see only that you asked, not anything more about you.
          </p>
          <Button type="button" variant="secondary" id="ask-welfare" onClick={ask}>
            Ask for a welfare contact
          </Button>
        </>
      )}
      <div role="status" class="govuk-body app-status">
        {status}
      </div>
      <SupportList />
    </>
  );
}
