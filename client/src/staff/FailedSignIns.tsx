// Failed sign-ins on this account since its owner last signed in, shown once
// after signing in. A stranger's guesses no longer lock the owner out (each
// browser keeps its own back-off), so the owner must at least be told of them.
import { useEffect, useState } from 'preact/hooks';
import { createStore } from '../store.ts';

export const failedSignIns = createStore<number>(0);

export function FailedSignIns() {
  const [n] = useState(() => failedSignIns.get());
  useEffect(() => failedSignIns.set(0), []);
  if (n <= 0) return null;
  return (
    <div class="govuk-notification-banner" role="region" aria-labelledby="failed-sign-ins-title" data-testid="failed-sign-ins">
      <div class="govuk-notification-banner__header">
        <h2 class="govuk-notification-banner__title" id="failed-sign-ins-title">
          Important
        </h2>
      </div>
      <div class="govuk-notification-banner__content">
        <p class="govuk-notification-banner__heading">
          There {n === 1 ? 'was 1 failed attempt' : `were ${n} failed attempts`} to sign in to your account since you last signed in.
        </p>
        <p class="govuk-body">If this was not you, tell your administrator. Your account stays open to you: only the browser that tried is slowed down.</p>
      </div>
    </div>
  );
}
