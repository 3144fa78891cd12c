// The inbox on a narrow screen: one GOV.UK summary card per case, with every
// fact of the table row. The table needs about 950 px; below that it would
// scroll sideways (WCAG 1.4.10), so staff.scss shows these cards instead.
import { SummaryCard, SummaryList, Tag } from '../components/Simple.tsx';
import { formatDay, statusColour, statusWords } from '../reporter/words.ts';
import type { CaseSummary } from '../staff/types.ts';
import { caseHref, Due, Unread } from './InboxCells.tsx';
import { KindCell } from './AdviceInbox.tsx';

function CaseCard({ c }: { c: CaseSummary }) {
  return (
    <SummaryCard
      title={
        <a class="govuk-link" href={caseHref(c)}>
          {c.caseRef}
        </a>
      }
      wrap
    >
      <SummaryList
        rows={[
          { key: 'Status', value: <Tag colour={statusColour(c.status)}>{statusWords(c.status)}</Tag> },
          { key: 'Due', value: <Due c={c} /> },
          { key: 'Category', value: <KindCell c={c} /> },
          { key: 'Unit', value: c.unit?.label ?? 'Not given' },
          { key: 'Received', value: formatDay(c.receivedOn) },
          { key: 'Last activity', value: formatDay(c.lastActivityOn) },
          { key: 'Assigned to', value: c.assignedTo?.displayName ?? 'Nobody' },
          { key: 'Unread', value: <Unread c={c} /> },
        ]}
      />
    </SummaryCard>
  );
}

export function InboxCards({ cases, caption }: { cases: CaseSummary[]; caption: string }) {
  return (
    <div class="app-inbox-cards">
      <h2 class="govuk-heading-m">{caption}</h2>
      {cases.map((c) => (
        <CaseCard c={c} key={c.caseRef} />
      ))}
    </div>
  );
}
