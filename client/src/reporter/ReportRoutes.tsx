import { useEffect } from 'preact/hooks';
import { preloadCrypto } from '../crypto.ts';
import { prepareStamp } from '../pow/stamp.ts';
import { usePage } from '../page.ts';
import { navigate } from '../router.ts';
import { useStore } from '../store.ts';
import { CheckPage } from './CheckPage.tsx';
import { canVisit, firstIncomplete, isStep, stepPath, type Intake } from './flow.ts';
import { QuestionPage } from './QuestionPage.tsx';
import { FilesPage } from './FilesPage.tsx';
import { answersStore, loadIntake, sentStore, useIntake } from './state.ts';
import { DonePage, TokenPage } from './TokenPage.tsx';

function ServiceProblem({ retry }: { retry: () => void }) {
  usePage('Sorry, there is a problem with the service');
  return (
    <>
      <h1 class="govuk-heading-l">Sorry, there is a problem with the service</h1>
      <p class="govuk-body">We could not load the questions. Check your internet connection and try again.</p>
      <p class="govuk-body">Nothing you have typed has been sent.</p>
      <button type="button" class="govuk-button" data-module="govuk-button" onClick={retry}>
        Try again
      </button>
    </>
  );
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

export function ReportRoutes({ path, query }: { path: string; query: URLSearchParams }) {
  const intakeState = useIntake();
  const answers = useStore(answersStore);
  const sent = useStore(sentStore);
  const page = path.slice('/report/'.length);

  // Begin fetching the crypto and solving the proof-of-work stamp now, so both are ready long before "Send report".
  useEffect(() => {
    preloadCrypto();
    prepareStamp();
  }, []);

  if (page === 'token') return sent ? <TokenPage sent={sent} /> : <Redirect to="/report/done" />;
  if (page === 'done') return <DonePage />;

  if (intakeState.kind === 'loading') {
    return (
      <p class="govuk-body" role="status">
        Loading…
      </p>
    );
  }
  if (intakeState.kind === 'error') {
    return (
      <ServiceProblem retry={() => loadIntake(true)} />
    );
  }
  const intake: Intake = intakeState.intake;

  if (page === 'files') {
    const missing = firstIncomplete(answers, intake);
    return missing === 'check' ? <FilesPage /> : <Redirect to={stepPath(missing)} />;
  }
  if (page === 'check') {
    const missing = firstIncomplete(answers, intake);
    return missing === 'check' ? <CheckPage intake={intake} /> : <Redirect to={stepPath(missing)} />;
  }
  if (isStep(page)) {
    // A deep link or a reload cannot skip questions that need an answer first.
    if (!canVisit(page, answers, intake)) {
      const missing = firstIncomplete(answers, intake);
      return <Redirect to={stepPath(missing)} />;
    }
    return <QuestionPage key={page} step={page} intake={intake} fromCheck={query.get('change') === 'true'} />;
  }
  return <Redirect to="/report/category" />;
}
