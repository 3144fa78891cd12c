// The inbox table: one row per case. A reporter's message on a closed case is
// flagged with a tag in the Due column, where the team looks for what is owed.
import { Tag } from '../components/Simple.tsx';
import { formatDay, statusColour, statusWords } from '../reporter/words.ts';
import type { CaseSummary, InboxSort } from '../staff/types.ts';
import { clockWords, isOverdue } from './words.ts';

export const SORT_WORDS: Record<InboxSort, string> = {
  due: 'most overdue first',
  received: 'newest first',
  activity: 'latest activity first',
};

function Due({ c }: { c: CaseSummary }) {
  if (c.messageOnClosed) return <strong class="govuk-tag govuk-tag--orange">New message on a closed case</strong>;
  return isOverdue(c.clock) ? <strong class="govuk-tag govuk-tag--red">{clockWords(c.clock)}</strong> : <>{clockWords(c.clock)}</>;
}

function CaseRow({ c }: { c: CaseSummary }) {
  return (
    <tr class="govuk-table__row">
      <th scope="row" class="govuk-table__header">
        <a class="govuk-link" href={`/triage/case/${encodeURIComponent(c.caseRef)}`}>
          {c.caseRef}
        </a>
      </th>
      <td class="govuk-table__cell">{c.category.label}</td>
      <td class="govuk-table__cell">{c.unit?.label ?? 'Not given'}</td>
      <td class="govuk-table__cell">{formatDay(c.receivedOn)}</td>
      <td class="govuk-table__cell">
        <Tag colour={statusColour(c.status)}>{statusWords(c.status)}</Tag>
      </td>
      <td class="govuk-table__cell">
        <Due c={c} />
      </td>
      <td class="govuk-table__cell">{formatDay(c.lastActivityOn)}</td>
      <td class="govuk-table__cell">{c.assignedTo?.displayName ?? 'Nobody'}</td>
      <td class="govuk-table__cell govuk-table__cell--numeric">
        {c.unread > 0 ? (
          <strong>
            {c.unread}
            <span class="govuk-visually-hidden"> unread</span>
          </strong>
        ) : (
          0
        )}
      </td>
    </tr>
  );
}

export function InboxTable({ cases, caption }: { cases: CaseSummary[]; caption: string }) {
  return (
    <table class="govuk-table" data-testid="cases">
      <caption class="govuk-table__caption govuk-table__caption--m">{caption}</caption>
      <thead class="govuk-table__head">
        <tr class="govuk-table__row">
          {['Case', 'Category', 'Unit', 'Received', 'Status', 'Due', 'Last activity', 'Assigned to'].map((h) => (
            <th scope="col" class="govuk-table__header" key={h}>
              {h}
            </th>
          ))}
          <th scope="col" class="govuk-table__header govuk-table__header--numeric">
            Unread
          </th>
        </tr>
      </thead>
      <tbody class="govuk-table__body">
        {cases.map((c) => (
          <CaseRow c={c} key={c.caseRef} />
        ))}
      </tbody>
    </table>
  );
}
