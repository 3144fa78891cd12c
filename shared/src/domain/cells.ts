// How an oversight table cell reads, for the page, the CSV and the chart alike
// (one wording, so the three agree). A number is a count, a share (0–1, shown
// as a percentage) or a median in days; a string marks suppression.
export type CellValue = number | '<5' | 'withheld' | 'suppressed';
export type CellKind = 'count' | 'share' | 'days';

export function cellText(cell: CellValue, kind: CellKind): string {
  if (typeof cell !== 'number') return cell;
  return kind === 'share' ? `${Math.round(cell * 100)}%` : String(cell);
}
