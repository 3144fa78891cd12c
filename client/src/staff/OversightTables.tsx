// Oversight's tables of issue 14 (confidence, timeliness per command), each with
// its chart and a CSV download, and the charts and downloads of the count
// tables above. One source (/oversight/tables): the page, the CSV and the chart
// show the same cells, and a suppressed cell is suppressed in all three.
import { useEffect, useState } from 'preact/hooks';
import type { OversightTables as Tables, OversightTableView } from '../../../shared/src/api/trail.ts';
import { cellText, type CellValue } from '../../../shared/src/domain/cells.ts';
import { ApiError, staffApi } from './api.ts';
import { Status } from './Fields.tsx';

const NEW_TABLES = ['timeliness-by-command', 'confidence-by-command', 'confidence-by-category'];

const API = '/api/v1/staff/oversight';

function Cell({ value, kind }: { value: CellValue; kind: OversightTableView['columns'][number]['kind'] }) {
  const text = cellText(value, kind);
  return (
    <td class="govuk-table__cell govuk-table__cell--numeric" data-value={text}>
      {value === 'suppressed' ? 'Not shown' : value === 'withheld' ? 'Not shown' : text}
      {value === '<5' && <span class="govuk-visually-hidden"> (fewer than 5)</span>}
      {value === 'suppressed' && <span class="govuk-visually-hidden"> (fewer than 5 cases)</span>}
    </td>
  );
}

function Downloads({ t }: { t: OversightTableView }) {
  return (
    <>
      <p class="govuk-body">
        <a class="govuk-link" href={`${API}/csv/${t.id}`} download data-testid={`csv-${t.id}`}>
          Download “{t.caption}” as CSV
        </a>
      </p>
      <details class="govuk-details">
        <summary class="govuk-details__summary">
          <span class="govuk-details__summary-text">Show “{t.caption}” as a chart</span>
        </summary>
        <div class="govuk-details__text app-chart">
          <img src={`${API}/charts/${t.id}`} alt={`Bar chart of ${t.caption}. It shows the same figures as the table “${t.caption}”; cells not shown in the table are marked “suppressed”, “<5” or “withheld” in the chart.`} data-testid={`chart-${t.id}`} />
        </div>
      </details>
    </>
  );
}

export function TableView({ t }: { t: OversightTableView }) {
  return (
    <div class="app-table-scroll" data-testid={`table-${t.id}`} tabIndex={0} role="region" aria-label={t.caption}>
      <table class="govuk-table">
        <caption class="govuk-table__caption govuk-table__caption--m">{t.caption}</caption>
        <thead class="govuk-table__head">
          <tr class="govuk-table__row">
            <th scope="col" class="govuk-table__header">{t.rowHead}</th>
            {t.columns.map((c) => (
              <th scope="col" class="govuk-table__header govuk-table__header--numeric" key={c.id}>{c.label}</th>
            ))}
          </tr>
        </thead>
        <tbody class="govuk-table__body">
          {t.rows.map((r) => (
            <tr class="govuk-table__row" key={r.id} data-row={r.id}>
              <th scope="row" class="govuk-table__header">{r.label}</th>
              {r.cells.map((c, i) => <Cell key={i} value={c} kind={t.columns[i]!.kind} />)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function OversightTables() {
  const [data, setData] = useState<Tables | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    staffApi.tables().then(setData).catch((e: unknown) => setError(e instanceof ApiError && e.status === 0 ? 'Could not connect. Try again.' : 'The tables could not be loaded. Try again later.'));
  }, []);
  if (error) return <p class="govuk-error-message">{error}</p>;
  if (!data) return <Status text="Loading the tables…" />;
  const fresh = data.tables.filter((t) => NEW_TABLES.includes(t.id));
  const counts = data.tables.filter((t) => !NEW_TABLES.includes(t.id));
  return (
    <>
      <h2 class="govuk-heading-l">Timeliness and confidence</h2>
      <p class="govuk-body">
        Confidence comes from reporters’ answers to two optional questions, asked when a case closes and when it has been open for 3 months: “I felt
        listened to” and “I felt supported”. A share is shown only where at least 5 reporters answered, and a median only where at least 5 cases
        count, so no one’s answer can be picked out. “Not shown” means fewer than 5.
      </p>
      {fresh.map((t) => (
        <div key={t.id}>
          <TableView t={t} />
          <Downloads t={t} />
        </div>
      ))}
      <h2 class="govuk-heading-l">Charts and downloads of the counts</h2>
      {counts.map((t) => (
        <div key={t.id}>
          <h3 class="govuk-heading-s">{t.caption}</h3>
          <Downloads t={t} />
        </div>
      ))}
    </>
  );
}
