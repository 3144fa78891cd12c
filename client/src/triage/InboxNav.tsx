// The inbox's navigation pieces: tabs with their counts, the GOV.UK
// pagination block (keyset pages, so Previous and Next only) and the search by
// case reference. Tabs are links with aria-current rather than ARIA tabs:
// each loads a different list, like the GOV.UK sub-navigation pattern.
import { useState } from 'preact/hooks';
import { normaliseCaseRef } from '../../../shared/src/domain/reference.ts';
import { ErrorSummary } from '../components/ErrorSummary.tsx';
import { Button } from '../components/Simple.tsx';
import { TextField } from '../staff/Fields.tsx';
import type { InboxTab } from '../staff/types.ts';

export const TAB_WORDS: Record<InboxTab, string> = { open: 'Open', closed: 'Closed' };

export function InboxTabs(p: { tab: InboxTab; counts: Record<InboxTab, number> | null; onSelect: (t: InboxTab) => void }) {
  return (
    <nav class="govuk-tabs app-inbox-tabs" aria-label="Case lists">
      <ul class="govuk-tabs__list">
        {(['open', 'closed'] as const).map((t) => (
          <li class={`govuk-tabs__list-item${t === p.tab ? ' govuk-tabs__list-item--selected' : ''}`} key={t}>
            <a
              class="govuk-tabs__tab"
              id={`tab-${t}`}
              href={`/triage?tab=${t}`}
              aria-current={t === p.tab ? 'page' : undefined}
              onClick={(e) => {
                e.preventDefault();
                e.stopPropagation();
                p.onSelect(t);
              }}
            >
              {TAB_WORDS[t]} {p.counts ? `(${p.counts[t]})` : ''}
              {p.counts && <span class="govuk-visually-hidden"> cases</span>}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

const Arrow = ({ d }: { d: string }) => (
  <svg class={`govuk-pagination__icon govuk-pagination__icon--${d === 'prev' ? 'prev' : 'next'}`} xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" focusable="false" viewBox="0 0 15 13">
    <path d={d === 'prev' ? 'm6.5938-0.0078125-6.7266 6.7266 6.7441 6.4062 1.377-1.449-4.1856-3.9768h12.896v-2h-12.984l4.2931-4.293-1.414-1.414z' : 'm8.107-0.0078125-1.4136 1.414 4.2926 4.293h-12.986v2h12.896l-4.1855 3.9766 1.377 1.4492 6.7441-6.4062-6.7246-6.7266z'} />
  </svg>
);

/** Block pagination: "Previous page / Next page", each labelled with its page number out of the total. */
export function Pagination(p: { page: number; pages: number; hasNext: boolean; onPrev: () => void; onNext: () => void }) {
  if (p.page === 1 && !p.hasNext) return null;
  const go = (f: () => void) => (e: Event) => (e.preventDefault(), e.stopPropagation(), f());
  return (
    <nav class="govuk-pagination govuk-pagination--block" aria-label="Pages of cases">
      {p.page > 1 && (
        <div class="govuk-pagination__prev">
          <a class="govuk-link govuk-pagination__link" href="#cases" rel="prev" onClick={go(p.onPrev)}>
            <Arrow d="prev" />
            <span class="govuk-pagination__link-title">
              Previous<span class="govuk-visually-hidden"> page</span>
            </span>
            <span class="govuk-visually-hidden">:</span>
            <span class="govuk-pagination__link-label">{`Page ${p.page - 1} of ${p.pages}`}</span>
          </a>
        </div>
      )}
      {p.hasNext && (
        <div class="govuk-pagination__next">
          <a class="govuk-link govuk-pagination__link" href="#cases" rel="next" onClick={go(p.onNext)}>
            <Arrow d="next" />
            <span class="govuk-pagination__link-title">
              Next<span class="govuk-visually-hidden"> page</span>
            </span>
            <span class="govuk-visually-hidden">:</span>
            <span class="govuk-pagination__link-label">{`Page ${p.page + 1} of ${p.pages}`}</span>
          </a>
        </div>
      )}
    </nav>
  );
}

/** Find a case by its reference as typed: lower case, spaces and missing dashes are all fine. */
export function RefSearch({ onFind }: { onFind: (ref: string) => void }) {
  const [typed, setTyped] = useState('');
  const [error, setError] = useState('');
  const [attempt, setAttempt] = useState(0);
  const submit = (e: Event) => {
    e.preventDefault();
    setAttempt((n) => n + 1);
    const ref = normaliseCaseRef(typed);
    if (!typed.trim()) return setError('Enter a case reference');
    if (!ref) return setError('Enter a case reference in the correct format, like RC-7KQ2-M9XD');
    setError('');
    onFind(ref);
  };
  return (
    <form noValidate onSubmit={submit} role="search" aria-label="Find a case by reference">
      <ErrorSummary errors={error ? [{ field: 'find-ref', message: error }] : []} attempt={attempt} />
      <TextField id="find-ref" label="Find a case by reference" hint="For example, RC-7KQ2-M9XD" value={typed} onInput={setTyped} error={error || undefined} classes="govuk-input--width-10" />
      <Button variant="secondary">Find case</Button>
    </form>
  );
}
