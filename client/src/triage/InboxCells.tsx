// What the inbox table and its narrow-screen cards both show for a case.
import type { CaseSummary } from '../staff/types.ts';
import { clockWords, isOverdue } from './words.ts';

export const caseHref = (c: CaseSummary) => `/triage/case/${encodeURIComponent(c.caseRef)}`;

export function Due({ c }: { c: CaseSummary }) {
  return isOverdue(c.clock) ? <strong class="govuk-tag govuk-tag--red">{clockWords(c.clock)}</strong> : <>{clockWords(c.clock)}</>;
}

export function Unread({ c }: { c: CaseSummary }) {
  if (c.unread === 0) return <>0</>;
  return (
    <strong>
      {c.unread}
      <span class="govuk-visually-hidden"> unread</span>
    </strong>
  );
}
