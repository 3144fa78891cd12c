// The triage inbox: the cases of my teams that I hold a key for, most overdue first.
import { useEffect, useState } from 'preact/hooks';
import { STATUSES } from '../../../shared/src/api/domain.ts';
import { Checkbox } from '../components/Checkboxes.tsx';
import { Button, Tag } from '../components/Simple.tsx';
import { usePage } from '../page.ts';
import { formatDay, statusColour, statusWords } from '../reporter/words.ts';
import { ApiError, staffApi } from '../staff/api.ts';
import { Select, Status } from '../staff/Fields.tsx';
import type { StaffSession } from '../staff/session.ts';
import type { CaseFilters, CaseSummary } from '../staff/types.ts';
import type { IntakeInfo } from '../../../shared/src/api/schemas.ts';
import { categoryChoices, keepChosen, unitChoices } from './filters.ts';
import { InboxNotice } from './InboxNotice.tsx';
import { InboxCards } from './InboxCards.tsx';
import { caseHref, Due, Unread } from './InboxCells.tsx';

/** Filters survive a visit to a case and back (memory only). */
let rememberedFilters: CaseFilters = {};

function CaseRow({ c }: { c: CaseSummary }) {
  return (
    <tr class="govuk-table__row">
      <th scope="row" class="govuk-table__header">
        <a class="govuk-link" href={caseHref(c)}>
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
      <td class="govuk-table__cell">{c.assignedTo?.displayName ?? 'Nobody'}</td>
      <td class="govuk-table__cell govuk-table__cell--numeric">
        <Unread c={c} />
      </td>
    </tr>
  );
}

export function InboxPage({ session }: { session: StaffSession }) {
  usePage('Cases');
  const [draft, setDraft] = useState<CaseFilters>(rememberedFilters);
  const [filters, setFilters] = useState<CaseFilters>(rememberedFilters);
  const [pages, setPages] = useState<(string | null)[]>([null]);
  const [cases, setCases] = useState<CaseSummary[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [seen, setSeen] = useState<CaseSummary[]>([]);
  const [intake, setIntake] = useState<IntakeInfo | null>(null);
  const [error, setError] = useState('');
  // Applying the filters again also refreshes the list (new cases arrive while the page is open).
  const [version, setVersion] = useState(0);
  const cursor = pages[pages.length - 1] ?? null;

  // The public intake list names every category and unit; without it, the filters offer what has been seen.
  useEffect(() => {
    let live = true;
    staffApi.intake().then(
      (i) => live && setIntake(i),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    let live = true;
    setCases(null);
    setError('');
    staffApi
      .cases(filters, cursor)
      .then((r) => {
        if (!live) return;
        setCases(r.cases);
        setNext(r.next);
        setSeen((prev) => [...prev, ...r.cases].slice(-500));
      })
      .catch((e: unknown) => {
        if (live) setError(e instanceof ApiError && e.status === 0 ? 'Could not connect. Check your connection and try again.' : 'The cases could not be loaded. Try again.');
      });
    return () => {
      live = false;
    };
  }, [filters, cursor, version]);

  const apply = (e: Event) => {
    e.preventDefault();
    rememberedFilters = draft;
    setFilters(draft);
    setPages([null]);
    setVersion((n) => n + 1);
  };
  const set = (patch: Partial<CaseFilters>) => setDraft({ ...draft, ...patch });
  const categories = categoryChoices(intake, seen.map((c) => c.category));
  const units = unitChoices(intake, seen.map((c) => c.unit));
  const any = { value: '', label: 'Any' };

  return (
    <>
      <InboxNotice />
      <h1 class="govuk-heading-l">Cases</h1>
      <p class="govuk-body">Cases for {session.staff.teams.map((t) => t.label).join(', ')}.</p>
      <form noValidate onSubmit={apply} class="govuk-!-margin-bottom-6" aria-label="Filter cases">
        <div class="govuk-grid-row">
          <div class="govuk-grid-column-one-third">
            <Select
              id="filter-status"
              label="Status"
              value={draft.status ?? ''}
              onChange={(v) => set({ status: v as CaseFilters['status'] })}
              options={[any, ...STATUSES.map((s) => ({ value: s, label: statusWords(s) }))]}
            />
          </div>
          <div class="govuk-grid-column-one-third">
            <Select id="filter-category" label="Category" value={draft.category ?? ''} onChange={(v) => set({ category: v })} options={[any, ...keepChosen(categories, draft.category)]} />
          </div>
          <div class="govuk-grid-column-one-third">
            <Select id="filter-unit" label="Unit" value={draft.unit ?? ''} onChange={(v) => set({ unit: v })} options={[any, ...keepChosen(units, draft.unit)]} />
          </div>
        </div>
        <Checkbox id="filter-mine" label="Only cases assigned to me" checked={draft.assigned === 'me'} onChange={(v) => set(v ? { assigned: 'me' } : { assigned: undefined as never })} />
        <Checkbox id="filter-overdue" label="Only overdue cases" checked={!!draft.overdue} onChange={(v) => set({ overdue: v })} />
        <Button variant="secondary">Apply filters</Button>
      </form>
      {error && <p class="govuk-error-message">{error}</p>}
      <Status text={cases === null && !error ? 'Loading cases…' : cases ? `${cases.length} case${cases.length === 1 ? '' : 's'} shown` : ''} />
      {cases && cases.length === 0 && <p class="govuk-body">There are no cases to show.</p>}
      {/* Both are rendered; staff.scss shows the table only where it fits (display: none hides the other from screen readers too). */}
      {cases && cases.length > 0 && <InboxCards cases={cases} />}
      {cases && cases.length > 0 && (
        <table class="govuk-table app-inbox-table">
          <caption class="govuk-table__caption govuk-table__caption--m">Cases, most overdue first</caption>
          <thead class="govuk-table__head">
            <tr class="govuk-table__row">
              {['Case', 'Category', 'Unit', 'Received', 'Status', 'Due', 'Assigned to'].map((h) => (
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
      )}
      <div class="govuk-button-group">
        {pages.length > 1 && (
          <Button type="button" variant="secondary" onClick={() => setPages(pages.slice(0, -1))}>
            Previous page
          </Button>
        )}
        {next && (
          <Button type="button" variant="secondary" onClick={() => setPages([...pages, next])}>
            Next page
          </Button>
        )}
      </div>
    </>
  );
}
