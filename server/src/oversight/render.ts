// An oversight table as CSV and as an SVG chart, from the very table the page
// shows (tables.ts), so the three agree, suppression included.
import type { OversightTableView } from '../../../shared/src/api/trail.ts';
import { cellText } from '../../../shared/src/domain/cells.ts';

export { cellText };

/**
 * One CSV field. Quoted when it holds a comma, quote or line break; and a field a spreadsheet
 * would read as a formula (starting =, +, -, @, tab or carriage return) is prefixed with an
 * apostrophe, so a label an administrator typed can never run as one (OWASP "CSV injection").
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** RFC 4180: a header row, then one row per table row; cells as the page words them. */
export function toCsv(t: OversightTableView): string {
  const lines = [[t.rowHead, ...t.columns.map((c) => c.label)]];
  for (const r of t.rows) lines.push([r.label, ...r.cells.map((c, i) => cellText(c, t.columns[i]!.kind))]);
  return lines.map((l) => l.map(csvField).join(',')).join('\r\n') + '\r\n';
}

const esc = (s: string): string => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

const LABEL_W = 260;
const BAR_W = 220;
const VALUE_W = 90;
const ROW_H = 24;
const HEAD_H = 28;

/**
 * A horizontal bar chart, one panel per column (each on its own scale: counts, shares to 100%,
 * days). A suppressed cell draws no bar: its row says "suppressed" (or "<5", "withheld") in a
 * hatched box instead of a value. role="img" with <title> and <desc>; the page also shows the
 * table beside it, which is the text alternative.
 */
export function toSvg(t: OversightTableView, through: string): string {
  const panelW = BAR_W + VALUE_W + 16;
  const width = LABEL_W + panelW * t.columns.length;
  const height = HEAD_H * 2 + ROW_H * t.rows.length + 8;
  const id = `chart-${t.id}`;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="${id}-title ${id}-desc" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Arial, sans-serif" font-size="14">`);
  out.push(`<title id="${id}-title">${esc(t.caption)}</title>`);
  const desc = t.rows.map((r) => `${r.label}: ${r.cells.map((c, i) => `${t.columns[i]!.label} ${cellText(c, t.columns[i]!.kind)}`).join(', ')}`).join('; ');
  out.push(`<desc id="${id}-desc">${esc(`Figures up to ${through}. ${desc}.`)}</desc>`);
  out.push('<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#505a5f" stroke-width="2"/></pattern></defs>');
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="0" y="18" font-weight="bold" fill="#0b0c0c">${esc(t.rowHead)}</text>`);
  t.columns.forEach((col, ci) => {
    const x0 = LABEL_W + ci * panelW;
    const numbers = t.rows.map((r) => r.cells[ci]).filter((c): c is number => typeof c === 'number');
    const max = col.kind === 'share' ? 1 : Math.max(1, ...numbers);
    out.push(`<text x="${x0}" y="18" font-weight="bold" fill="#0b0c0c">${esc(col.label.length > 40 ? `${col.label.slice(0, 38)}…` : col.label)}</text>`);
    t.rows.forEach((r, ri) => {
      const y = HEAD_H * 2 + ri * ROW_H;
      const cell = r.cells[ci]!;
      if (typeof cell === 'number') {
        const w = Math.round((cell / max) * BAR_W);
        out.push(`<rect data-row="${esc(r.id)}" data-column="${esc(col.id)}" data-value="${cell}" x="${x0}" y="${y - 14}" width="${w}" height="16" fill="#1d70b8"/>`);
        out.push(`<text x="${x0 + w + 6}" y="${y}" fill="#0b0c0c">${esc(cellText(cell, col.kind))}</text>`);
      } else {
        out.push(`<rect data-row="${esc(r.id)}" data-column="${esc(col.id)}" data-suppressed="${esc(cell)}" x="${x0}" y="${y - 14}" width="40" height="16" fill="url(#hatch)" stroke="#505a5f"/>`);
        out.push(`<text x="${x0 + 46}" y="${y}" fill="#0b0c0c">${esc(cellText(cell, col.kind))}</text>`);
      }
    });
  });
  t.rows.forEach((r, ri) => {
    out.push(`<text x="0" y="${HEAD_H * 2 + ri * ROW_H}" fill="#0b0c0c">${esc(r.label.length > 34 ? `${r.label.slice(0, 32)}…` : r.label)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}
