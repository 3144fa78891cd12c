// The inbox list: a table where it fits, GOV.UK summary cards on a narrow
// screen. Both are rendered; staff.scss shows one (display: none hides the
// other from screen readers too). A reporter's message on a closed case is
// flagged in the Due column, where the team looks for what is owed.
import { Tag } from '../components/Simple.tsx';
import { formatDay, statusColour, statusWords } from '../reporter/words.ts';
import type { CaseSummary, InboxSort } from '../staff/types.ts';
import { InboxCards } from './InboxCards.tsx';
import { caseHref, Due, Unread } from './InboxCells.tsx';
import { KindCell } from './AdviceInbox.tsx';

export const SORT_WORDS: Record<InboxSort, string> = {
  due: 'most overdue first',
  received: 'newest first',
  activity: 'latest activity first',
};

function CaseRow({ c }: { c: CaseSummary }) {
  return (
    <tr class="govuk-table__row">
      <th scope="row" class="govuk-table__header">
        <a class="govuk-link" href={caseHref(c)}>
          {c.caseRef}
        </a>
      </th>
      <td class="govuk-table__cell">
        <KindCell c={c} />
      </td>
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
        <Unread c={c} />
      </td>
    </tr>
  );
}

export function InboxTable({ cases, caption }: { cases: CaseSummary[]; caption: string }) {
  return (
    <>
      <InboxCards cases={cases} caption={caption} />
      <CaseTable cases={cases} caption={caption} />
    </>
  );
}

function CaseTable({ cases, caption }: { cases: CaseSummary[]; caption: string }) {
  return (
    <table class="govuk-table app-inbox-table govuk-!-font-size-16" data-testid="cases">
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
