// What the inbox table and its narrow-screen cards both show for a case.
import type { CaseSummary } from '../staff/types.ts';
import { clockWords, isOverdue } from './words.ts';

export const caseHref = (c: Pick<CaseSummary, 'caseRef'>) => `/triage/case/${encodeURIComponent(c.caseRef)}`;

/** The clock, or the flag for a reporter's message on a closed case (where the team looks for what is owed). */
export function Due({ c }: { c: CaseSummary }) {
  if (c.messageOnClosed) return <strong class="govuk-tag govuk-tag--orange">New message on a closed case</strong>;
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
