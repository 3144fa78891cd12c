// The inbox's banner for what just happened elsewhere (a referral that went back).
// Focused when it appears, so a screen reader hears it and a sighted user
// sees it at the top; shown once, then forgotten.
import { useEffect, useRef, useState } from 'preact/hooks';
import { inboxNotice } from './notice.ts';

export function InboxNotice() {
  const [notice] = useState(() => inboxNotice.get());
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    inboxNotice.set(null);
    // After the page's own arrival focus (its <h1>), which runs once this child's effect is done.
    if (notice) requestAnimationFrame(() => ref.current?.focus());
  }, []);
  if (!notice) return null;
  const success = notice.kind === 'success';
  return (
    <div
      ref={ref}
      class={`govuk-notification-banner${success ? ' govuk-notification-banner--success' : ''}`}
      role="alert"
      aria-labelledby="inbox-notice-title"
      tabIndex={-1}
      data-module="govuk-notification-banner"
    >
      <div class="govuk-notification-banner__header">
        <h2 class="govuk-notification-banner__title" id="inbox-notice-title">
          {success ? 'Success' : 'Important'}
        </h2>
      </div>
      <div class="govuk-notification-banner__content">
        <p class="govuk-notification-banner__heading">{notice.text}</p>
      </div>
    </div>
  );
}
