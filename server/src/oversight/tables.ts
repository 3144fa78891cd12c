// Oversight's tables in one shape (shared/src/api/trail.ts), which the page,
// the CSV download and the SVG chart all render: the three cannot disagree, and
// a suppressed cell is suppressed in all of them.
//
// New here (issue 14): confidence (survey answers: "I felt listened to", "I felt
// supported") per command and per category, and timeliness per command with the
// median days. Same rules as the counts: whole months that have ended only;
// counts of 1–4 shown "<5" with secondary suppression (protect); a share or a
// median over fewer than 5 cases is 'suppressed' — a share of 2 answers would
// tell a team how one named colleague felt.
import type { Kysely } from 'kysely';
import { STATUSES } from '../../../shared/src/api/domain.ts';
import type { Cell, OversightTables, OversightTableView } from '../../../shared/src/api/trail.ts';
import { AGREES } from '../../../shared/src/domain/trail.ts';
import type { Database } from '../db/database.ts';
import { answersThrough, labelled } from './repository.ts';
import { caseFactsThrough, periodEnd, protect, timelinessOf, type CaseFact } from './service.ts';

// As the staff pages word them (client/src/reporter/words.ts), so a CSV reads like the page.
const STATUS_LABELS: Record<(typeof STATUSES)[number], string> = {
  received: 'Received', acknowledged: 'Acknowledged', assessing: 'Being assessed',
  investigating: 'Being investigated', referred: 'Referred', closed: 'Closed',
};

/** The smallest group whose share or median is shown. */
export const MIN_GROUP = 5;

type Labelled = { id: string; label: string };

const shareCell = (met: number, of: number): Cell => (of < MIN_GROUP ? 'suppressed' : Math.round((met / of) * 100) / 100);

export function median(values: number[]): Cell {
  if (values.length < MIN_GROUP) return 'suppressed';
  const v = [...values].sort((a, b) => a - b);
  const mid = Math.floor(v.length / 2);
  return v.length % 2 === 1 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const t of items) m.set(key(t), [...(m.get(key(t)) ?? []), t]);
  return m;
}

/** A one-column count table with secondary suppression across its rows. */
function countTable(id: OversightTableView['id'], caption: string, rowHead: string, rows: Labelled[], counts: Map<string, number>): OversightTableView {
  const cells = protect(rows.map((r) => counts.get(r.id) ?? 0));
  return {
    id, caption, rowHead, columns: [{ id: 'cases', label: 'Cases', kind: 'count' }],
    rows: rows.map((r, i) => ({ id: r.id, label: r.label, cells: [cells[i]!] })),
  };
}

type Answer = { listened: number; supported: number };

/** Answers per group; a share is shown only beside a shown count of at least MIN_GROUP answers. */
function confidenceTable(id: OversightTableView['id'], caption: string, rowHead: string, rows: Labelled[], groups: Map<string, Answer[]>): OversightTableView {
  const counts = protect(rows.map((r) => groups.get(r.id)?.length ?? 0));
  return {
    id, caption, rowHead,
    columns: [
      { id: 'answers', label: 'Answers', kind: 'count' },
      { id: 'listened', label: 'Felt listened to (agree or strongly agree)', kind: 'share' },
      { id: 'supported', label: 'Felt supported (agree or strongly agree)', kind: 'share' },
    ],
    rows: rows.map((r, i) => {
      const a = groups.get(r.id) ?? [];
      const shown = typeof counts[i] === 'number';
      const agree = (k: keyof Answer): Cell => (shown ? shareCell(a.filter((x) => AGREES(x[k])).length, a.length) : 'suppressed');
      return { id: r.id, label: r.label, cells: [counts[i]!, agree('listened'), agree('supported')] };
    }),
  };
}

const TIMELINESS_COLUMNS: OversightTableView['columns'] = [
  { id: 'acknowledged', label: 'Acknowledged within 7 days', kind: 'share' },
  { id: 'acknowledgedDays', label: 'Median days to acknowledgement', kind: 'days' },
  { id: 'feedback', label: 'Feedback within 3 months', kind: 'share' },
  { id: 'feedbackDays', label: 'Median days to feedback', kind: 'days' },
];

function timelinessRow(cases: CaseFact[], through: string): Cell[] {
  const t = timelinessOf(cases, through);
  return [shareCell(t.ackMet, t.ackDue), median(t.ackDays), shareCell(t.fbMet, t.fbDue), median(t.fbDays)];
}

export async function tables(db: Kysely<Database>, today: string): Promise<OversightTables> {
  const through = periodEnd(today);
  const [cases, answers, { commands, categories }] = await Promise.all([caseFactsThrough(db, through), answersThrough(db, through), labelled(db)]);
  const commandRows: Labelled[] = [...commands, { id: 'none', label: 'No unit given' }];
  const tally = (key: (c: CaseFact) => string) => new Map([...groupBy(cases, key)].map(([k, v]) => [k, v.length]));
  const byCommand = groupBy(cases, (c) => c.command);
  return {
    period: { through },
    tables: [
      countTable('by-command', 'Cases by command', 'Command', commandRows, tally((c) => c.command)),
      countTable('by-category', 'Cases by category', 'Category', categories, tally((c) => c.category)),
      countTable('by-status', 'Cases by status', 'Status', STATUSES.map((s) => ({ id: s, label: STATUS_LABELS[s] })), tally((c) => c.status)),
      { id: 'timeliness', caption: 'Timeliness, all cases', rowHead: 'Cases', columns: TIMELINESS_COLUMNS,
        rows: [{ id: 'all', label: 'All cases', cells: timelinessRow(cases, through) }] },
      { id: 'timeliness-by-command', caption: 'Timeliness by command', rowHead: 'Command', columns: TIMELINESS_COLUMNS,
        rows: commandRows.map((r) => ({ id: r.id, label: r.label, cells: timelinessRow(byCommand.get(r.id) ?? [], through) })) },
      confidenceTable('confidence-by-command', 'Confidence by command', 'Command', commandRows,
        groupBy(answers, (a) => a.command_id ?? 'none')),
      confidenceTable('confidence-by-category', 'Confidence by category', 'Category', categories, groupBy(answers, (a) => a.category_id ?? 'none')),
    ],
  };
}

export async function table(db: Kysely<Database>, today: string, id: OversightTableView['id']): Promise<{ through: string; table: OversightTableView }> {
  const all = await tables(db, today);
  return { through: all.period.through, table: all.tables.find((t) => t.id === id)! };
}
