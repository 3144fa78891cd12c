// How long content is kept: the administrator's view of every retention rule (one per outcome of a
// closed case, and one each for advice requests and private records never turned into a report), with
// a Change link to each rule's own page. The purge itself runs on the server, hourly.
import { useEffect, useState } from 'preact/hooks';
import { OUTCOMES } from '../../../../shared/src/api/domain.ts';
import type { RetentionList } from '../../../../shared/src/api/retention.ts';
import { SummaryCard, SummaryList, type SummaryRow } from '../../components/Simple.tsx';
import { usePage } from '../../page.ts';
import { formatDay } from '../../reporter/words.ts';
import { staffApi } from '../api.ts';
import { Banner, Status } from '../Fields.tsx';
import { periodWords, retentionPath, ruleName, type RetentionKey } from './retention.ts';
import { takeFlash } from './shared.ts';

interface Rule { months: number | null; setOn: string | null; setBy: string | null }

function row(key: RetentionKey, rule: Rule | undefined): SummaryRow {
  const name = ruleName(key);
  return {
    key: name,
    value: (
      <>
        {rule?.months ? `Deleted after ${periodWords(rule.months)}` : 'Kept (no period set)'}
        {rule?.setOn && (
          <span class="govuk-hint govuk-!-margin-bottom-0 govuk-!-font-size-16">
            <br />
            Changed on {formatDay(rule.setOn)}{rule.setBy ? ` by ${rule.setBy}` : ''}
          </span>
        )}
      </>
    ),
    change: { href: retentionPath(key), hidden: `how long to keep: ${name}` },
  };
}

export function RetentionPage() {
  const [list, setList] = useState<RetentionList | null>(null);
  const [failed, setFailed] = useState(false);
  const [flash] = useState<string | null>(() => takeFlash());
  usePage('How long content is kept', { back: '/triage/admin' });

  useEffect(() => {
    staffApi.retention().then(setList, () => setFailed(true));
  }, []);

  return (
    <>
      <div class="govuk-grid-row">
        <div class="govuk-grid-column-two-thirds">
          {flash && (
            <Banner title="Success" success>
              <p class="govuk-notification-banner__heading">{flash}</p>
            </Banner>
          )}
          <h1 class="govuk-heading-l">How long content is kept</h1>
          <p class="govuk-body">
            When a period ends, the portal deletes the content within the hour. This cannot be undone. Where no period is set, content is
            kept until you set one.
          </p>
          <p class="govuk-body">
            For a closed case or an advice request, a record with no content stays: its reference, command, category, outcome and dates,
            so the oversight figures do not change. Private records are deleted whole.
          </p>
          {failed && <p class="govuk-body govuk-error-message">The periods could not be loaded. Reload the page to try again.</p>}
          {!list && !failed && <Status text="Loading the periods…" />}
        </div>
      </div>
      {list && (
        <>
          <SummaryCard title="Closed cases, by outcome" level={2}>
            <p class="govuk-body">Counted from the day the case was closed, or from its last message or note after that.</p>
            <SummaryList rows={OUTCOMES.map((o) => row(o, list.rules.find((r) => r.outcome === o)))} />
          </SummaryCard>
          <SummaryCard title="Things that are never closed" level={2}>
            <p class="govuk-body">Counted from the day each was made, or from its last message or entry.</p>
            <SummaryList rows={list.items.map((i) => row(i.item, i))} />
          </SummaryCard>
        </>
      )}
    </>
  );
}
