// Staff accounts: search by name or username, filter by role, team and state.
// The filters live in the address (?q=&role=&team=&state=&page=), so Back from an
// account returns to the same results; the server does the filtering and paging.
import { useEffect, useState } from 'preact/hooks';
import { SummaryCard, Tag } from '../../components/Simple.tsx';
import { usePage } from '../../page.ts';
import { navigate, useLocation } from '../../router.ts';
import { ROLE_WORDS } from '../../triage/words.ts';
import { staffApi } from '../api.ts';
import { Select, Status, TextField } from '../Fields.tsx';
import type { AccountFilters, AccountPage, Structure } from '../types.ts';
import { accountPath, loadStructure } from './shared.ts';
import { stateWords } from './validate.ts';

const KEYS = ['q', 'role', 'team', 'state'] as const;
type Draft = Record<(typeof KEYS)[number], string>;

function filtersOf(query: URLSearchParams): AccountFilters {
  const f: Record<string, string> = {};
  for (const k of [...KEYS, 'page']) {
    const v = query.get(k);
    if (v) f[k] = v;
  }
  return f as AccountFilters;
}

function hrefFor(f: AccountFilters, page?: number): string {
  const q = new URLSearchParams();
  for (const k of KEYS) if (f[k]) q.set(k, String(f[k]));
  if (page && page > 1) q.set('page', String(page));
  const s = q.toString();
  return `/triage/admin${s ? `?${s}` : ''}`;
}

export function AccountsPage() {
  usePage('Staff accounts');
  const { query } = useLocation();
  const filters = filtersOf(query);
  const key = hrefFor(filters, Number(filters.page ?? 1));
  const [draft, setDraft] = useState<Draft>({ q: filters.q ?? '', role: filters.role ?? '', team: filters.team ?? '', state: filters.state ?? '' });
  const [result, setResult] = useState<AccountPage | null>(null);
  const [structure, setStructure] = useState<Structure | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    loadStructure().then(setStructure, () => undefined);
  }, []);
  useEffect(() => {
    let live = true;
    setResult(null);
    setError('');
    staffApi.accounts(filters).then(
      (r) => live && setResult(r),
      () => live && setError('The accounts could not be loaded. Try again later.'),
    );
    return () => {
      live = false;
    };
  }, [key]);

  const search = (e: Event) => {
    e.preventDefault();
    navigate(hrefFor({ ...draft, state: (draft.state || undefined) as AccountFilters['state'], role: (draft.role || undefined) as AccountFilters['role'] }));
  };
  const any = { value: '', label: 'Any' };
  const teamLabel = (id: string) => structure?.teams.find((t) => t.id === id)?.label ?? id;
  const page = result?.page ?? 1;
  const pages = result ? Math.max(1, Math.ceil(result.total / result.pageSize)) : 1;

  return (
    <>
      <h1 class="govuk-heading-l">Staff accounts</h1>
      <p class="govuk-body">
        <a class="govuk-link" href="/triage/admin/new">
          Create an account
        </a>
      </p>
      <p class="govuk-body">
        <a class="govuk-link" href="/triage/admin/notifications">
          Email notification settings
        </a>
      </p>
      <p class="govuk-body">
        <a class="govuk-link" href="/triage/admin/support">
          Where reporters can get support
        </a>
      </p>
      <p class="govuk-body">
        <a class="govuk-link" href="/triage/admin/retention">
          How long content is kept
        </a>
      </p>
      <form noValidate onSubmit={search} role="search" aria-label="Accounts" class="govuk-!-margin-bottom-6">
        <TextField id="search-q" label="Search by name or username" value={draft.q} onInput={(v) => setDraft({ ...draft, q: v })} />
        <div class="govuk-grid-row">
          <div class="govuk-grid-column-one-third">
            <Select id="filter-role" label="Role" value={draft.role} onChange={(v) => setDraft({ ...draft, role: v })}
              options={[any, ...Object.entries(ROLE_WORDS).map(([value, label]) => ({ value, label }))]} />
          </div>
          <div class="govuk-grid-column-one-third">
            <Select id="filter-team" label="Team" value={draft.team} onChange={(v) => setDraft({ ...draft, team: v })}
              options={[any, ...(structure?.teams ?? []).map((t) => ({ value: t.id, label: t.label }))]} />
          </div>
          <div class="govuk-grid-column-one-third">
            <Select id="filter-state" label="State" value={draft.state} onChange={(v) => setDraft({ ...draft, state: v })}
              options={[any, { value: 'active', label: 'Active' }, { value: 'enrol', label: 'Awaiting enrolment' }, { value: 'deactivated', label: 'Deactivated' }]} />
          </div>
        </div>
        <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">
          Search
        </button>
      </form>
      {error && <p class="govuk-error-message">{error}</p>}
      <Status text={result ? `${result.total} account${result.total === 1 ? '' : 's'} found` : error ? '' : 'Loading accounts…'} />
      {result && result.accounts.length === 0 && <p class="govuk-body">No accounts match. Try other words or fewer filters.</p>}
      {result?.accounts.map((a) => {
        const state = stateWords(a);
        return (
          <SummaryCard
            key={a.id}
            level={2}
            title={
              <a class="govuk-link" href={accountPath(a.id)}>
                {a.displayName}
              </a>
            }
          >
            <dl class="govuk-summary-list">
              {[
                ['Username', a.username],
                ['Role', ROLE_WORDS[a.role] ?? a.role],
                ['Teams', a.teams.map((t) => teamLabel(t.id)).join(', ') || 'None'],
              ].map(([k, v]) => (
                <div class="govuk-summary-list__row" key={k}>
                  <dt class="govuk-summary-list__key">{k}</dt>
                  <dd class="govuk-summary-list__value">{v}</dd>
                </div>
              ))}
              <div class="govuk-summary-list__row">
                <dt class="govuk-summary-list__key">State</dt>
                <dd class="govuk-summary-list__value">
                  <Tag colour={state.colour}>{state.text}</Tag>
                </dd>
              </div>
            </dl>
          </SummaryCard>
        );
      })}
      {result && pages > 1 && (
        <nav class="govuk-pagination" aria-label="Results pages">
          {page > 1 && (
            <div class="govuk-pagination__prev">
              <a class="govuk-link govuk-pagination__link" href={hrefFor(filters, page - 1)} rel="prev">
                <span class="govuk-pagination__link-title">
                  Previous<span class="govuk-visually-hidden"> page</span>
                </span>
              </a>
            </div>
          )}
          <p class="govuk-body govuk-!-margin-bottom-0">
            Page {page} of {pages}
          </p>
          {page < pages && (
            <div class="govuk-pagination__next">
              <a class="govuk-link govuk-pagination__link" href={hrefFor(filters, page + 1)} rel="next">
                <span class="govuk-pagination__link-title">
                  Next<span class="govuk-visually-hidden"> page</span>
                </span>
              </a>
            </div>
          )}
        </nav>
      )}
    </>
  );
}
