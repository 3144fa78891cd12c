// Oversight statistics: counts only, never a case reference, ciphertext or key
// wrap. Counts from 1 to 4 become "<5" so a small group (one unit, one rare
// category) cannot be used to single someone out. Only whole calendar months
// that have ended are counted, as things stood at the end of the last one:
// figures that moved as each report arrived would tell a watcher the command
// and category of a single new case (docs/THREAT-MODEL.md "Time metadata").
import type { Kysely } from 'kysely';
import { STATUSES } from '../../../shared/src/api/domain.ts';
import type { OversightStats } from '../../../shared/src/api/staff.ts';
import { daysBetween, dueDates } from '../../../shared/src/domain/clock.ts';
import type { Database } from '../db/database.ts';
import { adviceFacts, caseFacts, historyThrough, labelled, teamLabels } from './repository.ts';

export const suppress = (n: number): number | '<5' => (n >= 1 && n <= 4 ? '<5' : n);

type Cell = number | '<5' | 'withheld';

/**
 * Suppression for one breakdown. A single "<5" cell could be recovered by subtracting the others
 * from the total, so when exactly one cell is 1–4 another goes too: every 0 cell (shown "<5",
 * which is true, and all alike, so none points at the small one), or if there is none the next
 * smallest cell, shown "withheld".
 */
export function protect(counts: number[]): Cell[] {
  const out: Cell[] = counts.map(suppress);
  if (counts.filter((n) => n >= 1 && n <= 4).length !== 1) return out;
  const zeros = counts.flatMap((n, i) => (n === 0 ? [i] : []));
  if (zeros.length > 0) {
    for (const i of zeros) out[i] = '<5';
    return out;
  }
  let next = -1;
  counts.forEach((n, i) => { if (out[i] !== '<5' && (next < 0 || n < counts[next]!)) next = i; });
  if (next >= 0) out[next] = 'withheld';
  return out;
}

function breakdown<T extends { id: string }>(rows: T[], counts: Map<string, number>): (T & { count: Cell })[] {
  const cells = protect(rows.map((r) => counts.get(r.id) ?? 0));
  return rows.map((r, i) => ({ ...r, count: cells[i]! }));
}
const share = (met: number, due: number): number | null => (due < 5 ? null : Math.round((met / due) * 100) / 100);

// Feedback = the case moved past assessment (investigating, referred or closed).
const FEEDBACK = ['investigating', 'referred', 'closed'];

/** The last day of the last calendar month that has ended on `today` (YYYY-MM-DD). */
export function periodEnd(today: string): string {
  const [y, m] = today.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1, 0)).toISOString().slice(0, 10);
}

/** One case as oversight counts it: status at the period's end, and the first acknowledgement and feedback days within it. */
export interface CaseFact {
  id: number;
  command: string;
  category: string;
  status: string;
  receivedOn: string;
  ack: string | undefined;
  fed: string | undefined;
}

/** Every case received by `through`, as things stood at the end of that day. */
export async function caseFactsThrough(db: Kysely<Database>, through: string): Promise<CaseFact[]> {
  const [facts, moves] = await Promise.all([caseFacts(db, through), historyThrough(db, through)]);
  // Status as it stood at the end of the period (the last change dated on or before it), and the
  // first day each case was acknowledged and given feedback, within the period.
  const statusAt = new Map<number, string>();
  const ack = new Map<number, string>();
  const fed = new Map<number, string>();
  for (const f of moves) {
    statusAt.set(f.caseId, f.status);
    if (f.status === 'received') continue;
    const update = (m: Map<number, string>) => { const cur = m.get(f.caseId); if (!cur || f.on < cur) m.set(f.caseId, f.on); };
    update(ack);
    if (FEEDBACK.includes(f.status)) update(fed);
  }
  return facts.map((c) => ({
    id: c.id, command: c.command_id ?? 'none', category: c.category_id ?? 'none', status: statusAt.get(c.id) ?? c.status,
    // A report that began as advice: its promises run from the day it became a report (docs/PROTOCOL.md "Asking for advice first").
    receivedOn: c.converted_on ?? c.received_on,
    ack: ack.get(c.id), fed: fed.get(c.id),
  }));
}

export interface Timeliness {
  ackDue: number;
  ackMet: number;
  fbDue: number;
  fbMet: number;
  /** Days from receipt to the first acknowledgement / feedback, for the cases that had one. */
  ackDays: number[];
  fbDays: number[];
}

/** How the two promises fared for these cases by `through`: a case counts once its day has passed or it was met. */
export function timelinessOf(cases: CaseFact[], through: string): Timeliness {
  const t: Timeliness = { ackDue: 0, ackMet: 0, fbDue: 0, fbMet: 0, ackDays: [], fbDays: [] };
  for (const c of cases) {
    const due = dueDates(c.receivedOn);
    if (c.ack !== undefined || due.acknowledge <= through) { t.ackDue++; if (c.ack !== undefined && c.ack <= due.acknowledge) t.ackMet++; }
    if (c.fed !== undefined || due.feedback <= through) { t.fbDue++; if (c.fed !== undefined && c.fed <= due.feedback) t.fbMet++; }
    if (c.ack !== undefined) t.ackDays.push(daysBetween(c.receivedOn, c.ack));
    if (c.fed !== undefined) t.fbDays.push(daysBetween(c.receivedOn, c.fed));
  }
  return t;
}

export { share, breakdown };

export async function stats(db: Kysely<Database>, today: string): Promise<OversightStats> {
  const through = periodEnd(today);
  const [cases, { commands, categories }, advice, teams] = await Promise.all([
    caseFactsThrough(db, through), labelled(db), adviceFacts(db, through), teamLabels(db),
  ]);
  const tally = (key: (c: CaseFact) => string) => {
    const m = new Map<string, number>();
    for (const c of cases) m.set(key(c), (m.get(key(c)) ?? 0) + 1);
    return m;
  };
  const t = timelinessOf(cases, through);
  return {
    period: { through },
    total: suppress(cases.length),
    byCommand: breakdown([...commands, { id: 'none', label: 'No unit given' }], tally((c) => c.command)),
    byCategory: breakdown(categories, tally((c) => c.category)),
    byStatus: breakdown(STATUSES.map((s) => ({ id: s, label: s })), tally((c) => c.status)),
    timeliness: { acknowledgedWithin7Days: share(t.ackMet, t.ackDue), feedbackWithin3Months: share(t.fbMet, t.fbDue) },
    advice: adviceCounts(advice, teams, through),
  };
}

/** Advice requests of the period, apart from reports, under the same suppression. */
function adviceCounts(rows: { team_id: string; converted_on: string | null }[], teams: { id: string; label: string }[], through: string) {
  const byTeam = new Map<string, number>();
  for (const r of rows) byTeam.set(r.team_id, (byTeam.get(r.team_id) ?? 0) + 1);
  return {
    total: suppress(rows.length),
    byTeam: breakdown(teams, byTeam),
    converted: suppress(rows.filter((r) => r.converted_on !== null && r.converted_on <= through).length),
  };
}
