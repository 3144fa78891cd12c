// Oversight: counts only. The server never sends case content or key wraps to
// this role, and suppresses counts from 1 to 4 as "<5".
import { useEffect, useState } from 'preact/hooks';
import { usePage } from '../page.ts';
import { formatDay, statusWords } from '../reporter/words.ts';
import { ApiError, staffApi } from './api.ts';
import { Status } from './Fields.tsx';
import type { OversightStats } from './types.ts';
import { OversightTables } from './OversightTables.tsx';
import { ACKNOWLEDGE_WITHIN, FEEDBACK_WITHIN } from '../../../shared/src/domain/clock.ts';

type Count = OversightStats['total'];

export function shareWords(share: number | null): string {
  return share === null ? 'Not shown (fewer than 5 cases were due)' : `${Math.round(share * 100)}%`;
}

function CountTable({ caption, head, rows }: { caption: string; head: string; rows: { id: string; label: string; count: Count }[] }) {
  return (
    <table class="govuk-table">
      <caption class="govuk-table__caption govuk-table__caption--m">{caption}</caption>
      <thead class="govuk-table__head">
        <tr class="govuk-table__row">
          <th scope="col" class="govuk-table__header">
            {head}
          </th>
          <th scope="col" class="govuk-table__header govuk-table__header--numeric">
            Cases
          </th>
        </tr>
      </thead>
      <tbody class="govuk-table__body">
        {rows.map((r) => (
          <tr class="govuk-table__row" key={r.id}>
            <th scope="row" class="govuk-table__header">
              {r.label}
            </th>
            <td class="govuk-table__cell govuk-table__cell--numeric">
              {r.count === 'withheld' ? 'Not shown' : r.count}
              {r.count === '<5' && <span class="govuk-visually-hidden"> (fewer than 5)</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function OversightPage() {
  usePage('Case numbers');
  const [stats, setStats] = useState<OversightStats | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    staffApi
      .stats()
      .then(setStats)
      .catch((e: unknown) => setError(e instanceof ApiError && e.status === 0 ? 'Could not connect. Try again.' : 'The numbers could not be loaded. Try again later.'));
  }, []);
  return (
    <>
      <h1 class="govuk-heading-l">Case numbers</h1>
      <p class="govuk-body">
        These are counts only. You cannot see what any report says or who made it. Where between 1 and 4 cases share a value, we show “&lt;5” so that no one
        can be picked out. When only one value in a table is small, another is shown as “&lt;5” or “Not shown” too, so the
        small one cannot be worked out from the total.
      </p>
      {error && <p class="govuk-error-message">{error}</p>}
      {!stats && !error && <Status text="Loading the numbers…" />}
      {stats && (
        <>
          <p class="govuk-body" data-testid="period">
            These figures cover every case received up to the end of {formatDay(stats.period.through)}, as things stood that day. They are
            updated once a month, after each month ends, so that no single new report can be picked out as it arrives.
          </p>
          <dl class="govuk-summary-list">
            <div class="govuk-summary-list__row">
              <dt class="govuk-summary-list__key">All cases</dt>
              <dd class="govuk-summary-list__value">{stats.total}</dd>
            </div>
            <div class="govuk-summary-list__row">
              <dt class="govuk-summary-list__key">Acknowledged within {ACKNOWLEDGE_WITHIN}</dt>
              <dd class="govuk-summary-list__value">{shareWords(stats.timeliness.acknowledgedWithin7Days)}</dd>
            </div>
            <div class="govuk-summary-list__row">
              <dt class="govuk-summary-list__key">Feedback given within {FEEDBACK_WITHIN}</dt>
              <dd class="govuk-summary-list__value">{shareWords(stats.timeliness.feedbackWithin3Months)}</dd>
            </div>
          </dl>
          <CountTable caption="By command" head="Command" rows={stats.byCommand} />
          <CountTable caption="By category" head="Category" rows={stats.byCategory} />
          <CountTable caption="By status" head="Status" rows={stats.byStatus.map((r) => ({ ...r, label: statusWords(r.id) || r.label }))} />
          <OversightTables />
        </>
      )}
    </>
  );
}
