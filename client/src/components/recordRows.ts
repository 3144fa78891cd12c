// Rows for one opened record entry: the same words for the holder's page and the triage case page.
import type { OpenedEntry } from '../../../shared/src/crypto/record.ts';
import type { SummaryRow } from './Simple.tsx';

export function entryRows(e: OpenedEntry): SummaryRow[] {
  if (!e.entry) return [{ key: 'Entry', value: 'This entry could not be opened. It may have been changed.' }];
  const rows: SummaryRow[] = [{ key: 'What happened', value: e.entry.what }];
  if (e.entry.when) rows.push({ key: 'When', value: e.entry.when });
  if (e.entry.where) rows.push({ key: 'Where', value: e.entry.where });
  if (e.entry.present) rows.push({ key: 'Who was there', value: e.entry.present });
  const s = e.subject;
  const who = [s?.name, s?.collar && `collar number ${s.collar}`, s?.role].filter(Boolean).join(', ');
  if (who) rows.push({ key: 'Who did it', value: who });
  return rows;
}
