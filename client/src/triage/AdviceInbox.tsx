// The inbox's share of issue #14: an advice request is labelled Advice (it has no category), a
// welfare request is flagged, and both can be filtered on. Mounted by InboxTable, InboxCards and
// InboxPage.
import { Checkbox } from '../components/Checkboxes.tsx';
import { Select } from '../staff/Fields.tsx';
import type { CaseFilters, CaseSummary } from '../staff/types.ts';

/** The Category cell: the category, or an Advice tag; plus a flag when the reporter asked for a welfare contact. */
export function KindCell({ c }: { c: CaseSummary }) {
  return (
    <>
      {c.kind === 'advice' ? <strong class="govuk-tag govuk-tag--purple">Advice</strong> : (c.category?.label ?? 'Not given')}
      {c.welfareRequested && (
        <>
          {' '}
          <strong class="govuk-tag govuk-tag--orange" data-testid="welfare-flag">Welfare contact asked for</strong>
        </>
      )}
    </>
  );
}

export function KindFilters({ draft, set }: { draft: CaseFilters; set: (p: Partial<CaseFilters>) => void }) {
  return (
    <>
      <div class="govuk-!-width-one-third">
        <Select
          id="filter-kind"
          label="Reports or advice"
          value={draft.kind ?? ''}
          onChange={(v) => set({ kind: v as CaseFilters['kind'] })}
          options={[
            { value: '', label: 'Reports and advice requests' },
            { value: 'report', label: 'Reports only' },
            { value: 'advice', label: 'Advice requests only' },
          ]}
        />
      </div>
      <Checkbox id="filter-welfare" label="Only where a welfare contact was asked for" checked={!!draft.welfare} onChange={(v) => set({ welfare: v })} />
    </>
  );
}
