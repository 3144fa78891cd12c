// The triage inbox: the cases of my teams that I hold a key for, in an Open
// and a Closed tab (a closed case the reporter wrote on since counts as open
// work), sortable, paged by keyset cursors, and searchable by reference.
import { useEffect, useState } from 'preact/hooks';
import { STATUSES } from '../../../shared/src/api/domain.ts';
import type { IntakeInfo } from '../../../shared/src/api/schemas.ts';
import { Checkbox } from '../components/Checkboxes.tsx';
import { Button } from '../components/Simple.tsx';
import { usePage } from '../page.ts';
import { statusWords } from '../reporter/words.ts';
import { ApiError, staffApi } from '../staff/api.ts';
import { Select, Status } from '../staff/Fields.tsx';
import type { StaffSession } from '../staff/session.ts';
import type { CaseFilters, CaseList, CoveredUnit, InboxTab } from '../staff/types.ts';
import { categoryChoices, keepChosen, unitChoices } from './filters.ts';
import { KindFilters } from './AdviceInbox.tsx';
import { InboxNotice } from './InboxNotice.tsx';
import { InboxReferrals } from './InboxReferrals.tsx';
import { KeyChangesBanner } from './KeyChangesBanner.tsx';
import { InboxTabs, Pagination, RefSearch, TAB_WORDS } from './InboxNav.tsx';
import { InboxTable, SORT_WORDS } from './InboxTable.tsx';

const PAGE_SIZE = 25;

/** Filters and tab survive a visit to a case and back (memory only). */
let remembered: { filters: CaseFilters; tab: InboxTab } = { filters: {}, tab: 'open' };

export function InboxPage({ session }: { session: StaffSession }) {
  usePage('Cases');
  const [draft, setDraft] = useState<CaseFilters>(remembered.filters);
  const [filters, setFilters] = useState<CaseFilters>(remembered.filters);
  const [tab, setTab] = useState<InboxTab>(remembered.tab);
  const [search, setSearch] = useState<string | null>(null);
  const [pages, setPages] = useState<(string | null)[]>([null]);
  const [list, setList] = useState<CaseList | null>(null);
  const [intake, setIntake] = useState<IntakeInfo | null>(null);
  const [units, setUnits] = useState<CoveredUnit[]>([]);
  const [error, setError] = useState('');
  // Applying the filters again also refreshes the list (new cases arrive while the page is open).
  const [version, setVersion] = useState(0);
  const cursor = pages[pages.length - 1] ?? null;

  // Categories from the public intake list; units only those my teams cover (GET /staff/units).
  useEffect(() => {
    let live = true;
    staffApi.intake().then((i) => live && setIntake(i), () => undefined);
    staffApi.units().then((u) => live && setUnits(u), () => undefined);
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    let live = true;
    setList(null);
    setError('');
    // A reference search spans both tabs and ignores the filters: it answers "where is this case?".
    const q = search ? { filters: {}, ref: search, cursor: null } : { filters, tab, cursor };
    staffApi
      .cases(q)
      .then((r) => live && setList(r))
      .catch((e: unknown) => {
        if (live) setError(e instanceof ApiError && e.status === 0 ? 'Could not connect. Check your connection and try again.' : 'The cases could not be loaded. Try again.');
      });
    return () => {
      live = false;
    };
  }, [filters, tab, cursor, search, version]);

  const apply = (e: Event) => {
    e.preventDefault();
    remembered = { ...remembered, filters: draft };
    setFilters(draft);
    setPages([null]);
    setVersion((n) => n + 1);
  };
  const selectTab = (t: InboxTab) => {
    remembered = { ...remembered, tab: t };
    setTab(t);
    setPages([null]);
  };
  const set = (patch: Partial<CaseFilters>) => setDraft({ ...draft, ...patch });
  const categories = categoryChoices(intake, []);
  const unitOptions = unitChoices({ units: units.map((u) => ({ ...u })) }, []);
  const any = { value: '', label: 'Any' };
  const cases = list?.cases ?? null;
  const total = list ? list.counts[tab] : 0;
  const sort = filters.sort ?? 'due';
  const shown = cases === null && !error ? 'Loading cases…' : cases ? `${cases.length} case${cases.length === 1 ? '' : 's'} shown` : '';

  return (
    <>
      <InboxNotice />
      <KeyChangesBanner />
      <h1 class="govuk-heading-l">Cases</h1>
      <p class="govuk-body">
        Cases for {session.staff.teams.map((t) => t.label).join(', ')}.{' '}
        <a class="govuk-link" href="/triage/keys">Team keys</a> shows who can read reports sent to your team.
      </p>
      <InboxReferrals />
      <RefSearch onFind={(ref) => setSearch(ref)} />
      {search !== null ? (
        <>
          <h2 class="govuk-heading-m">Search result</h2>
          {error && <p class="govuk-error-message">{error}</p>}
          <Status text={cases === null && !error ? 'Searching…' : ''} />
          {cases && cases.length === 0 && <p class="govuk-body" data-testid="no-case">No case found with the reference {search}.</p>}
          {cases && cases.length > 0 && <InboxTable cases={cases} caption={`Case ${search}`} />}
          <Button type="button" variant="secondary" onClick={() => setSearch(null)}>
            Back to all cases
          </Button>
        </>
      ) : (
        <>
          <InboxTabs tab={tab} counts={list?.counts ?? null} onSelect={selectTab} />
          <form noValidate onSubmit={apply} class="govuk-!-margin-bottom-6" aria-label="Filter cases">
            <div class="govuk-grid-row">
              <div class="govuk-grid-column-one-quarter">
                <Select id="filter-status" label="Status" value={draft.status ?? ''} onChange={(v) => set({ status: v as CaseFilters['status'] })} options={[any, ...STATUSES.map((s) => ({ value: s, label: statusWords(s) }))]} />
              </div>
              <div class="govuk-grid-column-one-quarter">
                <Select id="filter-category" label="Category" value={draft.category ?? ''} onChange={(v) => set({ category: v })} options={[any, ...keepChosen(categories, draft.category)]} />
              </div>
              <div class="govuk-grid-column-one-quarter">
                <Select id="filter-unit" label="Unit" value={draft.unit ?? ''} onChange={(v) => set({ unit: v })} options={[any, ...keepChosen(unitOptions, draft.unit)]} />
              </div>
              <div class="govuk-grid-column-one-quarter">
                <Select
                  id="filter-sort"
                  label="Sort by"
                  value={draft.sort ?? 'due'}
                  onChange={(v) => set({ sort: v as CaseFilters['sort'] })}
                  options={[
                    { value: 'due', label: 'Due date (most overdue first)' },
                    { value: 'received', label: 'Received (newest first)' },
                    { value: 'activity', label: 'Last activity (latest first)' },
                  ]}
                />
              </div>
            </div>
            <Checkbox id="filter-mine" label="Only cases assigned to me" checked={draft.assigned === 'me'} onChange={(v) => set(v ? { assigned: 'me' } : { assigned: undefined as never })} />
            <Checkbox id="filter-overdue" label="Only overdue cases" checked={!!draft.overdue} onChange={(v) => set({ overdue: v })} />
            <KindFilters draft={draft} set={set} />
            <Button variant="secondary">Apply filters</Button>
          </form>
          {error && <p class="govuk-error-message">{error}</p>}
          <Status text={shown} />
          {cases && cases.length === 0 && <p class="govuk-body">There are no cases to show.</p>}
          {cases && cases.length > 0 && <InboxTable cases={cases} caption={`${TAB_WORDS[tab]} cases, ${SORT_WORDS[sort]}`} />}
          <Pagination
            page={pages.length}
            pages={Math.max(1, Math.ceil(total / PAGE_SIZE))}
            hasNext={!!list?.next}
            onPrev={() => setPages(pages.slice(0, -1))}
            onNext={() => list?.next && setPages([...pages, list.next])}
          />
        </>
      )}
    </>
  );
}
