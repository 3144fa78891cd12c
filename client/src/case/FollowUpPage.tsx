import { useState } from 'preact/hooks';
import { api, ApiError } from '../api.ts';
import { TokenEntryForm, useTokenEntry } from '../components/TokenEntry.tsx';
import { loadCrypto } from '../crypto.ts';
import { focusHeading } from '../page.ts';
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

/** Parses (typing mistakes are caught here, before the server hears anything), fetches and opens the case. */
async function openCaseFromText(value: string): Promise<TokenProblem | null> {
  try {
    const c = await loadCrypto();
    // A record turned into a report keeps its token (REC-…): the same bytes are the case token.
    const parsed = c.parseAnyToken(value);
    if (!parsed.ok) return parsed.reason;
    const session = c.reporterSession(parsed.token);
    let view;
    try {
      view = await api.getCase(session.authorization);
    } catch (err) {
      return problemFor(err);
    }
    const opened = c.openCaseView(session, view);
    caseStore.set({ session, view, opened });
    return null;
  } catch {
    return 'crypto';
  }
}

function TokenForm({ signedOut }: { signedOut: boolean }) {
  const entry = useTokenEntry<TokenProblem>({
    title: 'Check your case',
    back: '/',
    open: openCaseFromText,
    opened: () => requestAnimationFrame(focusHeading),
    precheck: (text) => (text.trim() ? null : 'empty'),
  });
  return (
    <TokenEntryForm
      entry={entry}
      words={TOKEN_PROBLEM_WORDS}
      id="token"
      label="Enter your case token"
      hint="You got this when you sent your report. It has 25 letters and numbers in groups of 5, like XXXXX-XXXXX-XXXXX-XXXXX-XXXXX. Capital letters, spaces and hyphens do not matter."
      busyText="Finding your case…"
      notice={
        signedOut &&
        !entry.problem && (
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
        )
      }
    >
      We do not keep your case token. If you have lost it, you can{' '}
      <a class="govuk-link" href="/report/category">
        make a new report
      </a>{' '}
      and say it is about an earlier report.
    </TokenEntryForm>
  );
}
