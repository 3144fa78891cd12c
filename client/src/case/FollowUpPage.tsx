import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api.ts';
import { ErrorSummary } from '../components/ErrorSummary.tsx';
import { Input } from '../components/Input.tsx';
import { Button, InsetText } from '../components/Simple.tsx';
import { loadCrypto, preloadCrypto } from '../crypto.ts';
import { focusHeading, usePage } from '../page.ts';
import { useStore } from '../store.ts';
import { CaseDetails } from './CaseDetails.tsx';
import { ConvertForm } from '../advice/ConvertForm.tsx';
import { convertedStore, convertingStore } from '../advice/convert.ts';
import { caseStore, TOKEN_PROBLEM_WORDS, type TokenProblem } from './session.ts';

function problemFor(e: unknown): TokenProblem {
  if (!(e instanceof ApiError)) return 'crypto';
  if (e.status === 404) return 'not-found';
  if (e.status === 0) return 'network';
  return 'server';
}

export function FollowUpPage() {
  const open = useStore(caseStore);
  const [signedOut, setSignedOut] = useState(false);
  const converting = useStore(convertingStore);
  const converted = useStore(convertedStore);
  if (open && converting && open.view.kind === 'advice') return <ConvertForm open={open} />;
  if (open) {
    return (
      <>
      {converted && (
        <div class="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="converted-title">
          <div class="govuk-notification-banner__header">
            <h2 class="govuk-notification-banner__title" id="converted-title">Success</h2>
          </div>
          <div class="govuk-notification-banner__content">
            <p class="govuk-notification-banner__heading">Your question is now a report. Your case token stays the same.</p>
          </div>
        </div>
      )}
      <CaseDetails
        open={open}
        onSignedOut={() => {
          setSignedOut(true);
          requestAnimationFrame(focusHeading);
        }}
      />
      </>
    );
  }
  return <TokenForm signedOut={signedOut} />;
}

function TokenForm({ signedOut }: { signedOut: boolean }) {
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<TokenProblem | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  usePage('Check your case', { hasErrors: problem !== null, back: '/' });
  // The token's check character is verified with the crypto module: fetch it while they type.
  useEffect(() => preloadCrypto(), []);

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setAttempt((n) => n + 1);
    if (!value.trim()) {
      setProblem('empty');
      return;
    }
    setBusy(true);
    try {
      const c = await loadCrypto();
      // Typing mistakes are caught here, before the server hears anything.
      // A record turned into a report keeps its token (REC-…): the same bytes are the case token.
      const parsed = c.parseAnyToken(value);
      if (!parsed.ok) {
        setProblem(parsed.reason);
        return;
      }
      const session = c.reporterSession(parsed.token);
      let view;
      try {
        view = await api.getCase(session.authorization);
      } catch (err) {
        setProblem(problemFor(err));
        return;
      }
      const opened = c.openCaseView(session, view);
      setProblem(null);
      setValue('');
      caseStore.set({ session, view, opened });
      requestAnimationFrame(focusHeading);
    } catch {
      setProblem('crypto');
    } finally {
      setBusy(false);
    }
  };

  const message = problem ? TOKEN_PROBLEM_WORDS[problem] : undefined;
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <ErrorSummary errors={message ? [{ field: 'token', message }] : []} attempt={attempt} />
        {signedOut && !problem && (
          <div class="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="signed-out-title">
            <div class="govuk-notification-banner__header">
              <h2 class="govuk-notification-banner__title" id="signed-out-title">
                Success
              </h2>
            </div>
            <div class="govuk-notification-banner__content">
              <p class="govuk-notification-banner__heading">You have signed out of your case. This page no longer holds your case token.</p>
            </div>
          </div>
        )}
        <form noValidate onSubmit={onSubmit}>
          <Input
            id="token"
            label="Enter your case token"
            labelSize="l"
            isPageHeading
            hint="You got this when you sent your report. It has 25 letters and numbers in groups of 5, like XXXXX-XXXXX-XXXXX-XXXXX-XXXXX. Capital letters, spaces and hyphens do not matter."
            error={message}
            value={value}
            onInput={setValue}
            autocomplete="off"
            spellcheck={false}
            autocapitalize="characters"
            classes="app-token-input"
          />
          <div role="status" class="govuk-body app-status">
            {busy ? 'Finding your case…' : ''}
          </div>
          <Button>Continue</Button>
        </form>
        <InsetText>
          We do not keep your case token. If you have lost it, you can{' '}
          <a class="govuk-link" href="/report/category">
            make a new report
          </a>{' '}
          and say it is about an earlier report.
        </InsetText>
      </div>
    </div>
  );
}
