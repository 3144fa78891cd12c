// How a sealed report reads back as summary-list rows, for the reporter's own
// follow-up page and the triage case view alike: one place names the fields.
import type { ReportDoc } from '../../../shared/src/crypto/documents.ts';
import type { SummaryRow } from './Simple.tsx';

/** Rows for the given label/value pairs, leaving out answers the reporter left blank. */
export function textRows(pairs: [label: string, value: string | undefined][]): SummaryRow[] {
  return pairs.filter((p): p is [string, string] => !!p[1] && p[1].trim() !== '').map(([key, value]) => ({ key, value }));
}

/** What happened, when, where, who and witnesses, in the order the reporter answered them. */
export function accountRows(r: ReportDoc): SummaryRow[] {
  return textRows([
    ['What happened', r.narrative],
    ['When', r.when],
    ['Where', r.where],
    ['Who was involved', r.people],
    ['Witnesses', r.witnesses],
  ]);
}
